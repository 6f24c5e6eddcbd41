import { newMessageId } from './ids.js';
import type { MessageByKind } from './schemas.js';

type Body<K extends keyof MessageByKind> = Omit<MessageByKind[K], 'v' | 'id' | 'ts'> & { id?: string; ts?: string };

/** Build a message with protocol version, a fresh UUIDv7 id and the current time filled in. */
export function makeMessage<K extends keyof MessageByKind>(_kind: K, body: Body<K>, nowMs = Date.now()): MessageByKind[K] {
  return { v: 1, id: body.id ?? newMessageId(nowMs), ts: body.ts ?? new Date(nowMs).toISOString(), ...body } as MessageByKind[K];
}

export function encodeMessage(message: object): Buffer {
  return Buffer.from(JSON.stringify(message), 'utf8');
}
