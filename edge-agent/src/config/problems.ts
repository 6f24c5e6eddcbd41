/** A config problem, printed Frigate-style: `cameras -> cam-7 -> lines -> 1 -> to | [700,20] | point is outside the 640×480 frame`. */
export interface ConfigProblem {
  path: ReadonlyArray<string | number>;
  value: unknown;
  message: string;
}

export function formatValue(value: unknown): string {
  if (value === undefined) return '(missing)';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function formatProblem(p: ConfigProblem): string {
  return `${p.path.length ? p.path.join(' -> ') : '(top level)'} | ${formatValue(p.value)} | ${p.message}`;
}

export function formatProblems(problems: readonly ConfigProblem[]): string {
  return problems.map(formatProblem).join('\n');
}
