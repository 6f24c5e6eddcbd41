/**
 * The keys that appear more than once at the top level of one JSON object's text. JSON.parse keeps the
 * last of repeated keys silently, so a log line whose bindings repeat (pino prints every bound key, even
 * one its parent bound already) can only be caught in the raw text.
 */
export function repeatedJsonKeys(text: string): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    else if (c === '"') {
      const end = endOfString(text, i);
      // A string at depth 1 followed by ':' is a top-level key.
      if (depth === 1 && /^\s*:/.test(text.slice(end + 1, end + 8))) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        if (seen.has(key)) repeated.add(key);
        seen.add(key);
      }
      i = end;
    }
  }
  return [...repeated];
}

function endOfString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  throw new Error(`unterminated string at ${start} in ${text.slice(0, 80)}`);
}
