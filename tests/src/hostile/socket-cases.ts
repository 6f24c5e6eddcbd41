/**
 * socket.io handshakes with bad credentials: each must be refused with the console's error code in
 * connect_error's data, before any live-feed message reaches it.
 */
import { io as connectSocket, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { SQL_INJECTIONS } from './mqtt-cases.js';

export interface SocketCase {
  category: string;
  label: string;
  options: Partial<ManagerOptions & SocketOptions>;
  /** 'later': the console whose clock stands after every session's end. */
  server?: 'now' | 'later';
}

export function socketCases(c: { revokedToken: string; sessionCookie: string }): SocketCase[] {
  const category = 'socket.io: handshakes with bad cookies and tokens';
  const list: Array<[string, Partial<ManagerOptions & SocketOptions>, ('now' | 'later')?]> = [
    ['no credentials at all', {}],
    ['a random session cookie', { extraHeaders: { cookie: 'sw_session=bm90LWEtc2Vzc2lvbg' } }],
    ['SQL injection as the session cookie', { extraHeaders: { cookie: `sw_session=${encodeURIComponent(SQL_INJECTIONS[0])}` } }],
    ['broken percent-encoding in the cookie', { extraHeaders: { cookie: 'sw_session=%E0%A4%A' } }],
    ['a forged auth.token', { auth: { token: 'swt_forged' } }],
    ['SQL injection as auth.token', { auth: { token: SQL_INJECTIONS[1] } }],
    ['auth.token a number', { auth: { token: 12345 } }],
    ['auth.token an object (operator injection)', { auth: { token: { $ne: null } } }],
    ['auth.token a 10 KiB string', { auth: { token: `swt_${'x'.repeat(10_240)}` } }],
    ['a revoked token', { auth: { token: c.revokedToken } }],
    ['an Authorization header that is not Bearer', { extraHeaders: { authorization: 'Basic YWRtaW46YWRtaW4=' } }],
    ['a session past its end (clock moved on)', { extraHeaders: { cookie: c.sessionCookie } }, 'later'],
  ];
  return list.map(([label, options, server]) => ({ category, label, options, server: server ?? 'now' }));
}

/** Connects and answers the refusal's code, or 'connected' (then disconnects). */
export async function handshake(url: string, options: SocketCase['options']): Promise<string> {
  const socket = connectSocket(url, { transports: ['websocket'], reconnection: false, forceNew: true, timeout: 10_000, ...options });
  try {
    return await new Promise<string>((resolve) => {
      socket.once('connect', () => resolve('connected'));
      socket.once('connect_error', (err: Error & { data?: { code?: string } }) => resolve(err.data?.code ?? `no code: ${err.message}`));
    });
  } finally {
    socket.disconnect();
  }
}

/** A signed-in live-feed connection, open (the caller closes it). */
export async function openSocket(url: string, options: SocketCase['options']): Promise<Socket> {
  const socket = connectSocket(url, { transports: ['websocket'], reconnection: false, forceNew: true, timeout: 10_000, ...options });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

/**
 * What a signed-in client may throw at the server: the live feed takes no messages from browsers, so each
 * must be ignored (never relayed to others) or cost only the sender its connection.
 */
export const HOSTILE_SOCKET_MESSAGES: Array<{ label: string; send: (socket: Socket) => void; cutsSender: boolean }> = [
  { label: 'a forged "device" broadcast with a __proto__ payload', send: (s) => void s.emit('device', JSON.parse('{"__proto__":{"isAdmin":true},"id":"forged"}')), cutsSender: false },
  { label: 'an event named __proto__', send: (s) => void s.emit('__proto__', { constructor: { prototype: { x: 1 } } }), cutsSender: false },
  { label: 'binary garbage', send: (s) => void s.emit('incident', Buffer.from([0xff, 0xfe, 0x00, 0x80])), cutsSender: false },
  { label: '2,000 messages at once', send: (s) => { for (let i = 0; i < 2000; i++) s.emit('event', { i, note: SQL_INJECTIONS[i % SQL_INJECTIONS.length] }); }, cutsSender: false },
  { label: 'a 2 MiB message (over the 1 MB limit)', send: (s) => void s.emit('event', 'x'.repeat(2 * 1024 * 1024)), cutsSender: true },
];
