import { describe, expect, it } from 'vitest';
import {
  CANCEL_REQUEST,
  GSSENC_REQUEST,
  SSL_REQUEST,
  commandComplete,
  errorResponse,
  md5PasswordAnswer,
  notificationResponse,
  passwordMessage,
  readPasswordMessage,
  readStartupPacket,
  readyForQuery,
  readyStatus,
  simpleQueryText,
  startupMessage,
  withoutNotifications,
} from './wire-protocol.js';

function request(code: number): Buffer {
  const packet = Buffer.alloc(8);
  packet.writeInt32BE(8, 0);
  packet.writeInt32BE(code, 4);
  return packet;
}

function query(sql: string): Buffer {
  const body = Buffer.from(`${sql}\0`);
  const header = Buffer.from([0x51, 0, 0, 0, 0]);
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

describe('wire protocol helpers', () => {
  it('recognises SSL, GSSENC and cancel requests, which 0.0.22 misparses', () => {
    expect(readStartupPacket(request(SSL_REQUEST))).toEqual({ kind: 'ssl', length: 8 });
    expect(readStartupPacket(request(GSSENC_REQUEST))).toEqual({ kind: 'gssenc', length: 8 });
    const cancel = Buffer.alloc(16);
    cancel.writeInt32BE(16, 0);
    cancel.writeInt32BE(CANCEL_REQUEST, 4);
    expect(readStartupPacket(cancel)).toEqual({ kind: 'cancel', length: 16 });
    expect(readStartupPacket(request(1234))).toEqual({ kind: 'unsupported', length: 8, code: 1234 });
    expect(readStartupPacket(request(SSL_REQUEST).subarray(0, 6))).toBeNull();
  });

  it('parses a start-up packet and waits until it is complete', () => {
    const packet = startupMessage({ user: 'postgres', database: 'city', application_name: 'psql' });
    expect(readStartupPacket(packet.subarray(0, packet.length - 1))).toBeNull();
    expect(readStartupPacket(packet)).toEqual({
      kind: 'startup',
      length: packet.length,
      params: { user: 'postgres', database: 'city', application_name: 'psql' },
    });
  });

  it("computes libpq's md5 answer", () => {
    // md5(md5('secret' + 'postgres') + salt), worked out independently with md5sum.
    expect(md5PasswordAnswer('postgres', 'secret', Buffer.from([1, 2, 3, 4]))).toBe('md5bb41a296aab6baccb36ff243a562abff');
    expect(md5PasswordAnswer('postgres', 'secret', Buffer.from([1, 2, 3, 4]))).not.toBe(md5PasswordAnswer('postgres', 'secret', Buffer.from([1, 2, 3, 5])));
  });

  it('reads a password message', () => {
    const message = passwordMessage('md5abc');
    expect(readPasswordMessage(message)).toEqual({ password: 'md5abc', length: message.length });
    expect(readPasswordMessage(message.subarray(0, 4))).toBeNull();
    expect(() => readPasswordMessage(query('select 1'))).toThrow(/expected a password message/);
  });

  it('tells whether a reply leaves the session idle, in a transaction, or mid-exchange', () => {
    expect(readyStatus(Buffer.concat([commandComplete('BEGIN'), readyForQuery('T')]))).toBe('T');
    expect(readyStatus(Buffer.concat([commandComplete('COMMIT'), readyForQuery('I'), notificationResponse('c', 'p')]))).toBe('I');
    expect(readyStatus(Buffer.concat([errorResponse({ severity: 'ERROR', code: '22012', message: 'x' }), readyForQuery('E')]))).toBe('E');
    expect(readyStatus(Buffer.from([0x31, 0, 0, 0, 4]))).toBeNull(); // ParseComplete, no Sync yet
  });

  it('strips notifications from a reply (they are routed to listeners)', () => {
    const plain = Buffer.concat([commandComplete('NOTIFY'), readyForQuery('I')]);
    const withNote = Buffer.concat([commandComplete('NOTIFY'), notificationResponse('sw_events', '{"id":1}'), readyForQuery('I')]);
    expect(Buffer.from(withoutNotifications(withNote))).toEqual(plain);
    expect(withoutNotifications(plain)).toBe(plain);
  });

  it('extracts the text of a simple query', () => {
    expect(simpleQueryText(query('LISTEN sw_events'))).toBe('LISTEN sw_events');
    expect(simpleQueryText(passwordMessage('x'))).toBeNull();
  });
});
