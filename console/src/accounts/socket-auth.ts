/**
 * socket.io handshakes are authenticated like HTTP requests: the session cookie, or a personal token in
 * `auth: { token }` (or an Authorization header). Everyone else is refused before connecting. Any role may
 * receive the live feed; a user who must still change a one-time password may not.
 *
 * A connection outlives its handshake, so it is cut when its session or token ends: at once on sign-out
 * (on every node when they share the socket.io Redis adapter, which carries disconnectSockets to the
 * others; else this node only), and by a sweep every `sweepMs` for idle or absolute expiry, revocation, a disabled user or a
 * role change. The sweep only reads: an open live feed does not keep an unattended session alive.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Server as SocketServer } from 'socket.io';
import type { Queryable } from '@streetwise/db';
import { SW_CONSOLE_PASSWORD_CHANGE_REQUIRED, SW_CONSOLE_UNAUTHENTICATED } from '../errors.js';
import type { AccountsOptions } from './accounts-options.js';
import { authenticate } from './authenticate.js';

/** socket.io types `socket.data` as any; this is what this file keeps there. */
interface SocketData {
  user?: SocketAuth;
}

/** socket.io passes `data` to the client's connect_error, so the browser sees the code. */
const refusal = (error: Error & { code?: string }) => Object.assign(new Error(error.message), { data: { code: error.code } });

interface SocketAuth {
  username: string;
  role: string;
  sessionIdHash?: string;
  tokenId?: string;
}

const sessionRoom = (idHash: string) => `session:${idHash}`;

export interface SocketAuthHandle {
  /** Cuts a session's connections (sign-out): this node's, and every other node's through the Redis adapter. */
  disconnectSession(idHash: string): void;
  stop(): void;
}

export function authenticateSockets(io: SocketServer, db: Queryable, options: AccountsOptions, log: FastifyBaseLogger): SocketAuthHandle {
  io.use((socket, next) => {
    const auth = socket.handshake.auth as { token?: unknown } | undefined;
    const authorization = typeof auth?.token === 'string' ? `Bearer ${auth.token}` : socket.handshake.headers.authorization;
    authenticate(db, { authorization, cookie: socket.handshake.headers.cookie }, options).then(
      (found) => {
        if (found === undefined || found === 'invalid') return next(refusal(SW_CONSOLE_UNAUTHENTICATED(['the live feed needs the session cookie or auth.token'])));
        if (found.mustChangePassword) return next(refusal(SW_CONSOLE_PASSWORD_CHANGE_REQUIRED([found.username])));
        const data: SocketAuth = {
          username: found.username,
          role: found.role,
          ...(found.sessionIdHash ? { sessionIdHash: found.sessionIdHash } : {}),
          ...(found.tokenId ? { tokenId: found.tokenId } : {}),
        };
        (socket.data as SocketData).user = data;
        if (found.sessionIdHash) void socket.join(sessionRoom(found.sessionIdHash));
        return next();
      },
      (err: Error) => next(err),
    );
  });

  const sweep = async () => {
    const sockets = [...io.of('/').sockets.values()];
    if (sockets.length === 0) return;
    const users = sockets.map((socket) => (socket.data as SocketData).user);
    const sessionHashes = users.flatMap((u) => (u?.sessionIdHash ? [u.sessionIdHash] : []));
    const tokenIds = users.flatMap((u) => (u?.tokenId ? [u.tokenId] : []));
    const now = options.now();
    const idleSince = new Date(now.getTime() - options.idleMinutes * 60_000).toISOString();
    const live = await db.query<{ key: string }>(
      `SELECT 's:' || s.id_hash AS key FROM sessions s JOIN users u USING (username)
         WHERE s.id_hash = ANY($3::text[]) AND NOT u.disabled AND s.expires_at > $1 AND s.last_seen_at > $2
       UNION ALL
       SELECT 't:' || t.id FROM api_tokens t JOIN users u USING (username)
         WHERE t.id = ANY($4::text[]) AND NOT u.disabled AND t.revoked_at IS NULL AND t.role = u.role`,
      [now.toISOString(), idleSince, sessionHashes, tokenIds],
    );
    const valid = new Set(live.rows.map((r) => r.key));
    for (const socket of sockets) {
      const user = (socket.data as SocketData).user;
      const key = user?.sessionIdHash ? `s:${user.sessionIdHash}` : user?.tokenId ? `t:${user.tokenId}` : undefined;
      if (key === undefined || !valid.has(key)) socket.disconnect(true);
    }
  };
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweep()
      .catch((err: unknown) => log.error({ err }, 'live-feed session sweep failed'))
      .finally(() => (running = false));
  }, options.socketSweepMs);
  timer.unref();

  return {
    disconnectSession: (idHash) => io.in(sessionRoom(idHash)).disconnectSockets(true),
    stop: () => clearInterval(timer),
  };
}
