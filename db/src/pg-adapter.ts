/**
 * The server adapter: node-postgres Pool against PostgreSQL with TimescaleDB. Transactions use one
 * pooled client; LISTEN uses one dedicated client that reconnects and re-LISTENs after a drop.
 * Types are parsed as the embedded adapter does: int8 as number, timestamptz as Date, bytea as Buffer,
 * json/jsonb parsed, numeric as string.
 */
import pg from 'pg';
import { pino } from 'pino';
import type { Logger } from 'pino';
import type { Database, QueryResult, TransactionOptions, TransactionQueryable } from './port.js';
import { SW_DB_CLOSED, SW_DB_CONNECT_FAILED, SW_DB_TX_FINISHED } from './errors.js';
import { assertChannelName } from './notify.js';
import { assertTimescale, redactUrl } from './timescale-check.js';

export interface ServerDatabaseOptions {
  /** postgres://user:password@host:port/database */
  connectionString: string;
  /** Pool size. Default 10. */
  max?: number;
  /** Fail at connect time unless TimescaleDB is installed or available (SW_DB_NO_TIMESCALE). Default true. */
  requireTimescale?: boolean;
  /** Wait before reconnecting the LISTEN client, doubled up to 30 s. Default 500 ms. */
  listenReconnectMs?: number;
  logger?: Logger;
}

export interface ServerDatabase extends Database {
  readonly kind: 'server';
}

const INT8_OID = 20;
const INT8_ARRAY_OID = 1016;

/** Per-pool type parsers (the global pg.types stay untouched). */
function typeParsers(): pg.CustomTypesConfig {
  const types = new pg.TypeOverrides();
  types.setTypeParser(INT8_OID, (value: string) => Number(value));
  const parseTextArray = (pg.types.getTypeParser as (oid: number) => (value: string) => unknown)(1009);
  types.setTypeParser(INT8_ARRAY_OID, (value: string) => (parseTextArray(value) as Array<string | null>).map((v) => (v === null ? null : Number(v))));
  return types;
}

function toResult<Row>(result: pg.QueryResult | pg.QueryResult[]): QueryResult<Row> {
  const last = Array.isArray(result) ? result[result.length - 1] : result;
  if (!last) return { rows: [], rowCount: 0 };
  return { rows: last.rows as Row[], rowCount: last.rowCount ?? last.rows.length };
}

async function runQuery<Row>(client: pg.Pool | pg.PoolClient, sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
  const result = params && params.length > 0 ? await client.query(sql, [...params]) : await client.query(sql);
  return toResult<Row>(result);
}

export async function createServerDatabase(options: ServerDatabaseOptions): Promise<ServerDatabase> {
  const logger = (options.logger ?? pino({ level: 'silent' })).child({ component: 'db-server' });
  const where = redactUrl(options.connectionString);
  const types = typeParsers();
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.max ?? 10, types });
  pool.on('error', (err) => logger.warn({ err }, 'idle database connection failed; the pool replaces it'));
  try {
    await pool.query('SELECT 1');
  } catch (cause) {
    await pool.end().catch(() => undefined);
    throw SW_DB_CONNECT_FAILED([where, (cause as Error).message], { cause });
  }
  if (options.requireTimescale ?? true) {
    try {
      const status = await assertTimescale(pool, where);
      logger.info({ where, timescaledb: status.installedVersion ?? `${status.availableVersion} (available)` }, 'connected');
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw err;
    }
  }

  let closed = false;
  const listeners = new Map<string, Set<(payload: string) => void>>();
  let listenClient: pg.Client | null = null;
  let connecting: Promise<pg.Client> | null = null;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let reconnectDelayMs = options.listenReconnectMs ?? 500;

  function quoteIdent(name: string): string {
    return `"${name.replace(/"/g, '""')}"`;
  }

  function scheduleReconnect(): void {
    if (closed || reconnectTimer || listeners.size === 0) return;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      connectListener().then(
        () => {
          reconnectDelayMs = options.listenReconnectMs ?? 500;
        },
        (err: unknown) => {
          logger.warn({ err, retryInMs: reconnectDelayMs }, 'LISTEN connection failed; retrying');
          reconnectDelayMs = Math.min(reconnectDelayMs * 2, 30_000);
          scheduleReconnect();
        },
      );
    }, reconnectDelayMs);
  }

  /** One dedicated connection holds every LISTEN; after a drop it reconnects and listens again. */
  function connectListener(): Promise<pg.Client> {
    if (listenClient) return Promise.resolve(listenClient);
    if (connecting) return connecting;
    connecting = (async () => {
      const client = new pg.Client({ connectionString: options.connectionString, types });
      const lost = (err?: Error): void => {
        if (listenClient !== client) return;
        listenClient = null;
        if (!closed) logger.warn({ err }, 'LISTEN connection lost; reconnecting');
        client.end().catch(() => undefined);
        scheduleReconnect();
      };
      client.on('error', lost);
      client.on('end', () => lost());
      client.on('notification', (message) => {
        for (const onNotify of listeners.get(message.channel) ?? []) {
          try {
            onNotify(message.payload ?? '');
          } catch (err) {
            logger.error({ err, channel: message.channel }, 'notification listener threw');
          }
        }
      });
      try {
        await client.connect();
        for (const channel of listeners.keys()) await client.query(`LISTEN ${quoteIdent(channel)}`);
      } catch (err) {
        client.removeAllListeners('end');
        await client.end().catch(() => undefined);
        throw err;
      }
      listenClient = client;
      return client;
    })().finally(() => {
      connecting = null;
    });
    return connecting;
  }

  function ensureOpen(what: string): void {
    if (closed) throw SW_DB_CLOSED([what]);
  }

  return {
    kind: 'server',
    async query<Row>(sql: string, params?: readonly unknown[]) {
      ensureOpen('query');
      return runQuery<Row>(pool, sql, params);
    },
    async transaction<T>(fn: (tx: TransactionQueryable) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
      ensureOpen('transaction');
      const client = await pool.connect();
      let releaseError: Error | undefined;
      // A checked-out client whose connection drops emits 'error'; with no listener that would crash
      // the process (the pool listens only while the client is idle). The running query rejects anyway.
      const onClientError = (err: Error): void => {
        releaseError = err;
        logger.warn({ err }, 'database connection lost inside a transaction');
      };
      client.on('error', onClientError);
      try {
        await client.query('BEGIN');
        let finished = false;
        let last: { sql: string; params: readonly unknown[] | undefined } | undefined;
        const tx: TransactionQueryable = {
          query: (sql, params) => runQuery(client, sql, params),
          queryAtCommit: (sql, params) => {
            if (finished) throw SW_DB_TX_FINISHED();
            last = { sql, params };
          },
        };
        try {
          if (options.atBegin !== undefined) await client.query(options.atBegin);
          const value = await fn(tx);
          finished = true;
          if (last !== undefined) await runQuery(client, last.sql, last.params);
          await client.query('COMMIT');
          return value;
        } catch (err) {
          await client.query('ROLLBACK').catch((rollbackErr: Error) => {
            releaseError = rollbackErr; // a broken connection must not go back to the pool
          });
          throw err;
        }
      } finally {
        client.off('error', onClientError);
        client.release(releaseError);
      }
    },
    async listen(channel, onNotify) {
      ensureOpen('listen');
      assertChannelName(channel);
      let set = listeners.get(channel);
      const first = !set;
      if (!set) {
        set = new Set();
        listeners.set(channel, set);
      }
      const mine = (payload: string): void => onNotify(payload);
      set.add(mine);
      if (first) {
        const client = await connectListener();
        // connectListener already listened on every channel when it had to connect; LISTEN is idempotent.
        await client.query(`LISTEN ${quoteIdent(channel)}`);
      }
      return async () => {
        const current = listeners.get(channel);
        if (!current?.delete(mine) || current.size > 0) return;
        listeners.delete(channel);
        if (listenClient && !closed) await listenClient.query(`UNLISTEN ${quoteIdent(channel)}`).catch(() => undefined);
      };
    },
    async ping() {
      if (closed) return false;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), 2_000);
      });
      const probe = pool.query('SELECT 1').then(() => true, () => false);
      const alive = await Promise.race([probe, timeout]);
      clearTimeout(timer);
      return alive;
    },
    async close() {
      if (closed) return;
      closed = true;
      clearTimeout(reconnectTimer);
      listeners.clear();
      const client = listenClient ?? (connecting ? await connecting.catch(() => null) : null);
      listenClient = null;
      await client?.end().catch(() => undefined);
      await pool.end();
    },
  };
}
