/**
 * The embedded database: PGlite (PostgreSQL 17) + TimescaleDB in a worker thread, persisted under
 * `dataDir/pgdata`. The main thread only posts messages, so a planner's long query never delays MQTT
 * acks or sockets. Optionally exposed to psql on the Postgres wire protocol (wire-server.ts).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { EventLoopUtilization } from 'node:perf_hooks';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Logger } from 'pino';
import type { Database, QueryResult, TransactionOptions, TransactionQueryable } from './port.js';
import type { WireStartOptions } from './embedded-messages.js';
import { startWorkerClient } from './worker-client.js';
import { lockDataDir } from './data-dir-lock.js';
import { assertChannelName } from './notify.js';
import { SW_DB_CLOSED, SW_DB_QUERY_INSIDE_TRANSACTION, SW_DB_TX_FINISHED, SW_DB_WIRE_PORT_IN_USE } from './errors.js';


export const MEMORY_DATA_DIR = 'memory://';

export interface EmbeddedDatabaseOptions {
  /** Directory for the database files (kept in `<dataDir>/pgdata`), or 'memory://' for a throw-away one. */
  dataDir: string;
  /** Expose the database to psql on 127.0.0.1:<wirePort> (0 = any free port). Omitted or null: not exposed. */
  wirePort?: number | null;
  /** Password wire clients must give (md5 auth). Omitted or null: no password asked. */
  wirePassword?: string | null;
  /** Close a wire client idle for this long, freeing the one slot. Default 10 min. */
  wireIdleTimeoutMs?: number;
  /** Close a wire client that keeps a transaction (and so the app) waiting this long. Default 30 s. */
  wireIdleInTransactionTimeoutMs?: number;
  /** How long a client beyond wireMaxClients waits for a slot before it is refused. Default 2 s. */
  wireSlotWaitMs?: number;
  /**
   * Wire clients served at once. Default 1 (a second psql is told the database is in use). Raise it
   * (e.g. to 2) for a pg.Pool of 1 plus its LISTEN connection: commands of all clients are serialised
   * on PGlite's one session, a whole transaction at a time.
   */
  wireMaxClients?: number;
  logger?: Logger;
}

export interface EmbeddedDatabase extends Database {
  readonly kind: 'embedded';
  /** Port of the wire server, or null when not exposed. */
  readonly wirePort: number | null;
  /** Milliseconds the worker took to start PGlite + TimescaleDB. */
  readonly startMs: number;
  /**
   * How busy the database thread has been since it started: Node's event-loop utilization of the
   * worker (`utilization` 0..1 is the busy share). Pass two readings to
   * `performance.eventLoopUtilization(later, earlier)` for an interval.
   */
  busy(): EventLoopUtilization;
}

/** Buffer for bytea, as node-postgres returns (structured clone turns Buffers into Uint8Arrays). */
function toBuffers(rows: Record<string, unknown>[]): void {
  for (const row of rows) {
    for (const key in row) {
      const value = row[key];
      if (value instanceof Uint8Array && !Buffer.isBuffer(value)) row[key] = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    }
  }
}

export async function createEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const logger = (options.logger ?? pino({ level: 'silent' })).child({ component: 'db-embedded' });
  const inMemory = options.dataDir === MEMORY_DATA_DIR;
  const unlockDir = inMemory ? () => {} : lockDataDir(options.dataDir);
  const pgDataDir = inMemory ? MEMORY_DATA_DIR : join(options.dataDir, 'pgdata');
  const listeners = new Map<string, Set<(payload: string) => void>>();
  const worker = await startWorkerClient({
    dataDir: pgDataDir,
    logger,
    onExit: unlockDir,
    onNotify: (channel, payload) => {
      for (const onNotify of listeners.get(channel) ?? []) {
        try {
          onNotify(payload);
        } catch (err) {
          logger.error({ err, channel }, 'notification listener threw');
        }
      }
    },
  });
  const call = worker.call;
  let closed = false;
  const startMs = worker.startMs;

  async function runQuery<Row>(sql: string, params: readonly unknown[] | undefined, txId: number | null): Promise<QueryResult<Row>> {
    const result = await call<QueryResult<Record<string, unknown>>>({ op: 'query', sql, params: params ? [...params] : null, txId }, 'query');
    toBuffers(result.rows);
    return result as QueryResult<Row>;
  }

  // Which open transaction (if any) the current async context runs inside: db.query there would wait
  // for the lock that very transaction holds, so it is refused instead (on a server it would silently
  // run outside the transaction, on another connection).
  const insideTransaction = new AsyncLocalStorage<{ open: boolean }>();
  const refuseInsideTransaction = (what: string): Promise<never> | null =>
    insideTransaction.getStore()?.open ? Promise.reject(SW_DB_QUERY_INSIDE_TRANSACTION([what])) : null;

  let wirePort: number | null = null;
  const db: EmbeddedDatabase = {
    kind: 'embedded',
    get wirePort() {
      return wirePort;
    },
    startMs,
    busy: () => worker.utilization(),
    query: (sql, params) => refuseInsideTransaction('query') ?? runQuery(sql, params, null),
    async transaction<T>(fn: (tx: TransactionQueryable) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
      const refused = refuseInsideTransaction('transaction');
      if (refused) return refused;
      const txId = await call<number>(options.atBegin === undefined ? { op: 'begin' } : { op: 'begin', sql: options.atBegin }, 'transaction');
      const context = { open: true };
      let finished = false;
      let last: { sql: string; params: unknown[] | null } | undefined;
      const tx: TransactionQueryable = {
        query: (sql, params) => (finished ? Promise.reject(SW_DB_TX_FINISHED()) : runQuery(sql, params, txId)),
        queryAtCommit: (sql, params) => {
          if (finished) throw SW_DB_TX_FINISHED();
          last = { sql, params: params ? [...params] : null };
        },
      };
      let value: T;
      try {
        value = await insideTransaction.run(context, () => fn(tx));
      } catch (err) {
        finished = true;
        context.open = false;
        await call({ op: 'end', txId, commit: false }, 'rollback').catch((rollbackErr: unknown) =>
          logger.warn({ err: rollbackErr }, 'rollback failed'),
        );
        throw err;
      }
      finished = true;
      context.open = false;
      await call(last === undefined ? { op: 'end', txId, commit: true } : { op: 'end', txId, commit: true, last }, 'commit');
      return value;
    },
    async listen(channel, onNotify) {
      if (worker.stopped) throw SW_DB_CLOSED(['listen']);
      assertChannelName(channel);
      let set = listeners.get(channel);
      if (!set) {
        set = new Set();
        listeners.set(channel, set);
        await call({ op: 'listen', channel }, 'listen');
      }
      const mine = (payload: string): void => onNotify(payload);
      set.add(mine);
      return async () => {
        const current = listeners.get(channel);
        if (!current?.delete(mine) || current.size > 0) return;
        listeners.delete(channel);
        if (!worker.stopped) await call({ op: 'unlisten', channel }, 'unlisten');
      };
    },
    async ping() {
      if (worker.stopped) return false;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), 2_000);
      });
      const probe = runQuery('SELECT 1', undefined, null).then(() => true, () => false);
      const alive = await Promise.race([probe, timeout]);
      clearTimeout(timer);
      return alive;
    },
    async close() {
      if (closed) return;
      closed = true;
      await worker.close(10_000);
      listeners.clear();
      logger.info('embedded database closed');
    },
  };

  if (options.wirePort !== undefined && options.wirePort !== null) {
    const wireOptions: WireStartOptions = {
      host: '127.0.0.1',
      port: options.wirePort,
      password: options.wirePassword ?? null,
      idleTimeoutMs: options.wireIdleTimeoutMs ?? 10 * 60_000,
      idleInTransactionTimeoutMs: options.wireIdleInTransactionTimeoutMs ?? 30_000,
      slotWaitMs: options.wireSlotWaitMs ?? 2_000,
      maxClients: Math.max(1, options.wireMaxClients ?? 1),
    };
    try {
      wirePort = await call<number>({ op: 'wire-start', options: wireOptions }, 'wire-start');
      logger.info({ port: wirePort, password: wireOptions.password !== null }, `psql -h 127.0.0.1 -p ${wirePort} -U postgres`);
    } catch (err) {
      await db.close();
      if ((err as { code?: string }).code === 'EADDRINUSE') throw SW_DB_WIRE_PORT_IN_USE([options.wirePort], { cause: err });
      throw err;
    }
  }
  logger.info({ dataDir: pgDataDir, startMs }, 'embedded database started');
  return db;
}
