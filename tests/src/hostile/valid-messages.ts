/**
 * Valid messages of every kind, generated from the protocol's schemas (schema-arbitrary.ts) with the fields
 * whose validity is not the schema's alone pinned: ids are UUIDv7, the timestamp lies in the decoder's
 * window on a real calendar date, and the device id is one the caller names (it must equal the topic's).
 */
import fc from 'fast-check';
import { ConfigSchema, MESSAGE_SCHEMAS, UPLINK_KINDS, newMessageId, type UplinkKind } from '@streetwise/protocol';
import { arbitraryOf } from './schema-arbitrary.js';

/** The instant the fuzz suites decode at (fixed, so runs repeat). */
export const FUZZ_NOW_MS = Date.parse('2026-03-01T08:00:00Z');
/** The seed of every property (FUZZ_SEED overrides it to explore; a failure prints the seed and path to replay). */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20_261_205);

const isoInWindow = (nowMs: number): fc.Arbitrary<string> =>
  // 29 days back to 4 minutes ahead: inside 30 days and the 5 minutes of allowed skew.
  fc.integer({ min: nowMs - 29 * 86_400_000, max: nowMs + 4 * 60_000 }).chain((ms) =>
    fc.constantFrom(new Date(ms).toISOString(), new Date(ms).toISOString().replace('.000Z', 'Z'), offsetIso(ms, 8 * 60)));

/** The same instant written in another zone, e.g. "…T16:00:00.123+08:00". */
function offsetIso(ms: number, offsetMinutes: number): string {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 23);
  const sign = offsetMinutes >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

const messageId = (nowMs: number): fc.Arbitrary<string> => fc.integer({ min: nowMs - 86_400_000, max: nowMs }).map((ms) => newMessageId(ms));

/** A valid uplink message of `kind` from `deviceId`, as the decoder at `nowMs` must accept it. */
export function validUplink(kind: UplinkKind, deviceId: fc.Arbitrary<string>, nowMs = FUZZ_NOW_MS): fc.Arbitrary<Record<string, unknown>> {
  const overrides = {
    '/id': messageId(nowMs),
    '/ts': isoInWindow(nowMs),
    '/observedAt': isoInWindow(nowMs),
    '/deviceId': deviceId,
  };
  const message = arbitraryOf(MESSAGE_SCHEMAS[kind], overrides) as fc.Arbitrary<Record<string, unknown>>;
  if (kind !== 'status') return message;
  // A birth (online) must say what the device is and where: the decoder's one cross-field rule for status.
  return message.map((m) => (m.state === 'online' ? { kind: 'camera', location: { lat: 22.3, lon: 114.17 }, ...m } : m));
}

export const anyValidUplink = (deviceId: fc.Arbitrary<string>, nowMs = FUZZ_NOW_MS): fc.Arbitrary<{ kind: UplinkKind; message: Record<string, unknown> }> =>
  fc.constantFrom(...UPLINK_KINDS).chain((kind) => validUplink(kind, deviceId, nowMs).map((message) => ({ kind, message })));

/** A valid config downlink; a model chunk comes with its model and an index below its count (the cross-field rules). */
export function validConfig(nowMs = FUZZ_NOW_MS): fc.Arbitrary<Record<string, unknown>> {
  return (arbitraryOf(ConfigSchema, { '/id': messageId(nowMs), '/ts': isoInWindow(nowMs) }) as fc.Arbitrary<Record<string, unknown>>).map((m) => {
    const patch = m.patch as { modelChunk?: { index: number; count: number } } | undefined;
    if (patch?.modelChunk === undefined) return m;
    const { index, count } = patch.modelChunk;
    const chunk = { ...patch.modelChunk, index: Math.min(index, count - 1) };
    const model = m.model ?? { name: 'detector', version: '1', sha256: '0'.repeat(64), sizeBytes: 1 };
    return { ...m, model, patch: { ...patch, modelChunk: chunk } };
  });
}

export const DEVICE_IDS = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/);
