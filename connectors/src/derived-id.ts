import { createHash } from 'node:crypto';

/**
 * A UUIDv7 derived from a time and a key instead of drawn at random, so that the same fact seen twice (the TD
 * feed repeats every period in two consecutive files) gets the same message id and ingest's dedupe stores it
 * once. Layout per RFC 9562: 48-bit unix ms, version 7, 12 bits, variant 0b10, 62 bits; the 74 "random" bits
 * are the first bits of SHA-256(key), so different keys at the same millisecond differ with overwhelming
 * probability (a collision needs two keys equal in 74 bits).
 */
export function derivedMessageId(atMs: number, key: string): string {
  if (!Number.isInteger(atMs) || atMs < 0 || atMs >= 2 ** 48) throw new RangeError(`derivedMessageId: atMs ${atMs} is not a 48-bit millisecond time`);
  const hash = createHash('sha256').update(key, 'utf8').digest();
  const bytes = Buffer.alloc(16);
  bytes.writeUIntBE(atMs, 0, 6);
  hash.copy(bytes, 6, 0, 10);
  bytes[6] = 0x70 | (bytes[6]! & 0x0f);
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The id of the message that carries one site's reading for one period: the same (feed, kind, site, period end)
 * always gives the same id, whichever file or connector instance it came from.
 */
export function readingMessageId(feedName: string, kind: string, siteId: string, periodEndMs: number): string {
  return derivedMessageId(periodEndMs, `${feedName}:${kind}:${siteId}`);
}
