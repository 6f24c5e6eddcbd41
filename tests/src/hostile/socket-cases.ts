/**
 * socket.io handshakes with bad credentials: each must be refused with the console's error code in
 * connect_error's data, before any live-feed message reaches it.
 */
import { io as connectSocket, type ManagerOptions, type SocketOptions } from 'socket.io-client';
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
