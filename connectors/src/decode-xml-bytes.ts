import { TextDecoder } from 'node:util';
import type { FeedProblem } from './feed.js';

export interface DecodedXml {
  text: string;
  /** The encoding the bytes were read with. */
  encoding: string;
  problems: FeedProblem[];
}

/** U+FFFD marks every byte sequence the declared encoding could not read; parsers report fields holding it. */
export const REPLACEMENT_CHAR = '\uFFFD';

function sniffEncoding(bytes: Uint8Array): { label: string; bomLength: number } | undefined {
  const [a, b, c] = [bytes[0], bytes[1], bytes[2]];
  if (a === 0xef && b === 0xbb && c === 0xbf) return { label: 'utf-8', bomLength: 3 };
  if (a === 0xff && b === 0xfe) return { label: 'utf-16le', bomLength: 2 };
  if (a === 0xfe && b === 0xff) return { label: 'utf-16be', bomLength: 2 };
  if (a === 0x3c && b === 0x00) return { label: 'utf-16le', bomLength: 0 };
  if (a === 0x00 && b === 0x3c) return { label: 'utf-16be', bomLength: 0 };
  return undefined;
}

/**
 * Bytes → text the way XML says (a byte-order mark first, then the declaration's encoding, else UTF-8), never
 * throwing: bytes that do not decode become U+FFFD and one 'encoding' problem says so, so that one bad byte
 * costs the field that holds it, not the file.
 */
export function decodeXmlBytes(bytes: Uint8Array): DecodedXml {
  const problems: FeedProblem[] = [];
  const sniffed = sniffEncoding(bytes);
  let label = sniffed?.label ?? 'utf-8';
  if (!sniffed) {
    const head = Buffer.from(bytes.subarray(0, 256)).toString('latin1');
    const declared = /^<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1];
    if (declared) label = declared.toLowerCase();
  }
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label, { fatal: true, ignoreBOM: false });
  } catch {
    problems.push({ code: 'encoding', field: 'encoding', value: label, message: `declared encoding "${label}" is not one this reader knows; read as UTF-8` });
    label = 'utf-8';
    decoder = new TextDecoder(label, { fatal: true });
  }
  try {
    return { text: decoder.decode(bytes), encoding: label, problems };
  } catch {
    const text = new TextDecoder(label, { fatal: false }).decode(bytes);
    const offset = text.indexOf(REPLACEMENT_CHAR);
    problems.push({
      code: 'encoding',
      field: 'encoding',
      value: label,
      offset,
      message: `bytes are not valid ${label} (first bad sequence at character ${offset}); each field holding one is reported by period and detector`,
    });
    return { text, encoding: label, problems };
  }
}
