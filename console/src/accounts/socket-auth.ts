/**
 * socket.io handshakes are authenticated like HTTP requests: the session cookie, or a personal token in
 * `auth: { token }` (or an Authorization header). Everyone else is refused before connecting. Any role may
 * receive the live feed; a user who must still change a one-time password may not.
 */
import type { Server as SocketServer } from 'socket.io';
import type { Queryable } from '@streetwise/db';
import { SW_CONSOLE_PASSWORD_CHANGE_REQUIRED, SW_CONSOLE_UNAUTHENTICATED } from '../errors.js';
import type { AccountsOptions } from './accounts-options.js';
import { authenticate } from './authenticate.js';

/** socket.io passes `data` to the client's connect_error, so the browser sees the code. */
const refusal = (error: Error & { code?: string }) => Object.assign(new Error(error.message), { data: { code: error.code } });

export function authenticateSockets(io: SocketServer, db: Queryable, options: AccountsOptions): void {
  io.use((socket, next) => {
    const auth = socket.handshake.auth as { token?: unknown } | undefined;
    const authorization = typeof auth?.token === 'string' ? `Bearer ${auth.token}` : socket.handshake.headers.authorization;
    authenticate(db, { authorization, cookie: socket.handshake.headers.cookie }, options).then(
      (found) => {
        if (found === undefined || found === 'invalid') return next(refusal(SW_CONSOLE_UNAUTHENTICATED(['the live feed needs the session cookie or auth.token'])));
        if (found.mustChangePassword) return next(refusal(SW_CONSOLE_PASSWORD_CHANGE_REQUIRED([found.username])));
        socket.data.user = { username: found.username, role: found.role };
        return next();
      },
      (err: Error) => next(err),
    );
  });
}
