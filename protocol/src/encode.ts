import { newMessageId } from './ids.js';
import type { ConfigMessage, MessageByKind } from './schemas.js';
import { DEFAULT_DECODE_OPTIONS, describeInvalid } from './validate.js';

type Body<K extends keyof MessageByKind> = Omit<MessageByKind[K], 'v' | 'id' | 'ts'> & { id?: string; ts?: string };

/** Build a message with protocol version, a fresh UUIDv7 id and the current time filled in. */
export function makeMessage<K extends keyof MessageByKind>(_kind: K, body: Body<K>, nowMs = Date.now()): MessageByKind[K] {
  return { v: 1, id: body.id ?? newMessageId(nowMs), ts: body.ts ?? new Date(nowMs).toISOString(), ...body } as MessageByKind[K];
}

export function encodeMessage(message: object): Buffer {
  return Buffer.from(JSON.stringify(message), 'utf8');
}

/**
 * Encode a config downlink after checking it exactly as the device's decodeConfig will (schema, cross-field
 * rules, size): the sender learns of a mistake at once, with the field named, instead of from a
 * config_rejected event. Never throws.
 */
export function encodeConfig(message: ConfigMessage, maxPayloadBytes = DEFAULT_DECODE_OPTIONS.maxPayloadBytes): { ok: true; payload: Buffer } | { ok: false; reason: string } {
  const invalid = describeInvalid('config', message);
  if (invalid !== undefined) return { ok: false, reason: `config: ${invalid}` };
  const payload = encodeMessage(message);
  if (payload.byteLength > maxPayloadBytes) return { ok: false, reason: `config: payload is ${payload.byteLength} bytes; the limit is ${maxPayloadBytes}` };
  return { ok: true, payload };
}
