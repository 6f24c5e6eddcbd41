/**
 * The few PostgreSQL wire-protocol messages the wire server's front handles itself: the start-up
 * packet (and SSL/GSS requests before it), md5 authentication, error responses, and the
 * ReadyForQuery status that tells whether a client still holds the session.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export const PROTOCOL_3 = 196_608;
export const SSL_REQUEST = 80_877_103;
export const GSSENC_REQUEST = 80_877_104;
export const CANCEL_REQUEST = 80_877_102;

export type StartupPacket =
  | { kind: 'ssl'; length: number }
  | { kind: 'gssenc'; length: number }
  | { kind: 'cancel'; length: number }
  | { kind: 'startup'; length: number; params: Record<string, string> }
  | { kind: 'unsupported'; length: number; code: number };

/** Parse the first packet of a connection; null until it is complete. */
export function readStartupPacket(buffer: Buffer): StartupPacket | null {
  if (buffer.length < 8) return null;
  const length = buffer.readInt32BE(0);
  if (length < 8 || length > 10_000) return { kind: 'unsupported', length: buffer.length, code: length };
  if (buffer.length < length) return null;
  const code = buffer.readInt32BE(4);
  if (code === SSL_REQUEST) return { kind: 'ssl', length };
  if (code === GSSENC_REQUEST) return { kind: 'gssenc', length };
  if (code === CANCEL_REQUEST) return { kind: 'cancel', length };
  if (code !== PROTOCOL_3) return { kind: 'unsupported', length, code };
  const parts = buffer.subarray(8, length - 1).toString('utf8').split('\0');
  const params: Record<string, string> = {};
  for (let i = 0; i + 1 < parts.length; i += 2) params[parts[i] ?? ''] = parts[i + 1] ?? '';
  return { kind: 'startup', length, params };
}

function message(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

/** A startup packet for PGlite itself (it always runs as postgres). */
export function startupMessage(params: Record<string, string>): Buffer {
  const body = Buffer.concat([
    Buffer.from([0, 3, 0, 0]),
    ...Object.entries(params).map(([key, value]) => Buffer.from(`${key}\0${value}\0`, 'utf8')),
    Buffer.from([0]),
  ]);
  const length = Buffer.alloc(4);
  length.writeInt32BE(body.length + 4);
  return Buffer.concat([length, body]);
}

export function passwordMessage(password: string): Buffer {
  return message('p', Buffer.from(`${password}\0`, 'utf8'));
}

export function authenticationMd5(salt: Buffer): Buffer {
  const body = Buffer.alloc(8);
  body.writeInt32BE(5, 0);
  salt.copy(body, 4);
  return message('R', body);
}

export const SYNC_MESSAGE = message('S', Buffer.alloc(0));
export const TERMINATE = 0x58; // 'X'

export interface ErrorFields {
  severity: 'ERROR' | 'FATAL';
  /** SQLSTATE */
  code: string;
  message: string;
  hint?: string;
}

export function errorResponse(fields: ErrorFields): Buffer {
  const parts = [`S${fields.severity}`, `V${fields.severity}`, `C${fields.code}`, `M${fields.message}`];
  if (fields.hint) parts.push(`H${fields.hint}`);
  return message('E', Buffer.from(`${parts.join('\0')}\0\0`, 'utf8'));
}

/** A password message ('p'): the string, or null until complete; throws on another message type. */
export function readPasswordMessage(buffer: Buffer): { password: string; length: number } | null {
  if (buffer.length < 5) return null;
  if (buffer[0] !== 0x70) throw new Error(`expected a password message, got type 0x${(buffer[0] ?? 0).toString(16)}`);
  const length = 1 + buffer.readInt32BE(1);
  if (buffer.length < length) return null;
  return { password: buffer.subarray(5, length - 1).toString('utf8'), length };
}

function md5Hex(text: string | Buffer): string {
  return createHash('md5').update(text).digest('hex');
}

/** libpq's md5 answer: 'md5' + md5(md5(password + user) + salt). */
export function md5PasswordAnswer(user: string, password: string, salt: Buffer): string {
  return `md5${md5Hex(Buffer.concat([Buffer.from(md5Hex(password + user)), salt]))}`;
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Status of the last ReadyForQuery in a backend reply: 'I' idle, 'T' in a transaction, 'E' in a failed
 * transaction; null when the reply has none (an extended-protocol exchange is still open).
 */
/** NotificationResponse, NoticeResponse, ParameterStatus: may follow ReadyForQuery. */
const ASYNC_MESSAGES = new Set([0x41, 0x4e, 0x53]);

export function readyStatus(reply: Uint8Array): 'I' | 'T' | 'E' | null {
  const view = Buffer.from(reply.buffer, reply.byteOffset, reply.byteLength);
  let status: 'I' | 'T' | 'E' | null = null;
  let offset = 0;
  while (offset + 5 <= view.length) {
    const type = view[offset];
    const length = view.readInt32BE(offset + 1);
    if (type === 0x5a && length === 5) status = String.fromCharCode(view[offset + 5] ?? 0) as 'I' | 'T' | 'E';
    else if (!ASYNC_MESSAGES.has(type ?? 0)) status = null;
    offset += 1 + length;
  }
  return status;
}

export function notificationResponse(channel: string, payload: string): Buffer {
  const body = Buffer.concat([Buffer.alloc(4), Buffer.from(`${channel}\0${payload}\0`, 'utf8')]);
  return message('A', body);
}

export function commandComplete(tag: string): Buffer {
  return message('C', Buffer.from(`${tag}\0`, 'utf8'));
}

export function readyForQuery(status: 'I' | 'T' | 'E'): Buffer {
  return message('Z', Buffer.from(status, 'latin1'));
}

/** The text of a simple Query ('Q') message, or null for other messages. */
export function simpleQueryText(message: Uint8Array): string | null {
  if (message[0] !== 0x51 || message.length < 6) return null;
  return Buffer.from(message.buffer, message.byteOffset + 5, message.byteLength - 6).toString('utf8');
}

/** The reply without NotificationResponse messages (they are routed to listeners separately). */
export function withoutNotifications(reply: Uint8Array): Uint8Array {
  const view = Buffer.from(reply.buffer, reply.byteOffset, reply.byteLength);
  const kept: Buffer[] = [];
  let found = false;
  let offset = 0;
  while (offset + 5 <= view.length) {
    const end = offset + 1 + view.readInt32BE(offset + 1);
    if (view[offset] === 0x41) found = true;
    else kept.push(view.subarray(offset, end));
    offset = end;
  }
  return found ? Buffer.concat(kept) : reply;
}
