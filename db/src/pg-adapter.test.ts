/**
 * The pg adapter against this machine's PostgreSQL 15 (127.0.0.1:5432, trust auth, no TimescaleDB):
 * the missing extension is reported with what to do, the Database contract holds on a plain server,
 * and the LISTEN connection comes back after the server drops it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createServerDatabase } from './pg-adapter.js';
import type { ServerDatabase } from './pg-adapter.js';
import { migrate } from './migrate.js';
import { waitFor } from '@streetwise/testing';
import { describeDatabaseContract } from './adapter-contract.suite.js';

const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const dbName = `sw_db_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
const url = `postgres://postgres@127.0.0.1:5432/${dbName}`;

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  await admin((c) => c.query(`CREATE DATABASE ${dbName}`));
});
afterAll(async () => {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`));
});

describe('pg adapter on a server without TimescaleDB', () => {
  it('refuses to connect with SW_DB_NO_TIMESCALE, saying what to do', async () => {
    const err = await createServerDatabase({ connectionString: url }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SW_DB_NO_TIMESCALE' });
    expect((err as Error).message).toMatch(/Install TimescaleDB/);
    expect((err as Error).message).toMatch(/unset DATABASE_URL to use the embedded database/);
  });

  it('refuses to migrate with SW_DB_NO_TIMESCALE and leaves nothing behind', async () => {
    const db = await createServerDatabase({ connectionString: url, requireTimescale: false });
    await expect(migrate(db)).rejects.toMatchObject({ code: 'SW_DB_NO_TIMESCALE' });
    const { rows } = await db.query<{ n: number }>("SELECT count(*) AS n FROM pg_tables WHERE tablename = 'devices'");
    expect(rows[0]?.n).toBe(0);
    await db.close();
  });

  it('reports an unreachable server with SW_DB_CONNECT_FAILED, without the password', async () => {
    const err = await createServerDatabase({ connectionString: 'postgres://postgres:hunter2@127.0.0.1:1/x' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SW_DB_CONNECT_FAILED' });
    expect((err as Error).message).not.toContain('hunter2');
  });
});

describe('pg adapter LISTEN connection', () => {
  let db: ServerDatabase;
  beforeAll(async () => {
    db = await createServerDatabase({ connectionString: url, requireTimescale: false, listenReconnectMs: 20 });
  });
  afterAll(async () => {
    await db?.close();
  });

  it('reconnects and listens again after the server terminates it', async () => {
    const received: string[] = [];
    await db.listen('sw_reconnect_test', (payload) => received.push(payload));
    const terminated = await admin((c) =>
      c.query<{ ok: boolean }>(
        `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = $1 AND query ILIKE 'LISTEN%'`,
        [dbName],
      ),
    );
    expect(terminated.rows.length).toBe(1);
    // Keep notifying until one arrives through the new connection.
    await waitFor(
      async () => {
        await db.query("SELECT pg_notify('sw_reconnect_test', 'after-reconnect')");
        return received.length > 0;
      },
      { timeoutMs: 10_000, intervalMs: 100, what: 'a notification through the new LISTEN connection' },
    );
    expect(received[0]).toBe('after-reconnect');
  }, 15_000);
});

describeDatabaseContract('pg adapter on PostgreSQL 15', async () => ({
  db: await createServerDatabase({ connectionString: url, requireTimescale: false, max: 4 }),
}));
