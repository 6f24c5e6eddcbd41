/**
 * The wire server with the real psql (/usr/bin/psql) and node-postgres: psql exactly as typed, one
 * client at a time with a readable refusal, slots freed after quit and after a stalled transaction,
 * passwords when configured, and the Database contract through it (pg-adapter, pool of 1).
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createEmbeddedDatabase } from './embedded-adapter.js';
import type { EmbeddedDatabase } from './embedded-adapter.js';
import { createServerDatabase } from './pg-adapter.js';
import { waitFor } from '@streetwise/testing';
import { describeDatabaseContract } from './adapter-contract.suite.js';

interface PsqlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run psql as a user would type it; no TTY, so a password prompt fails instead of hanging. */
function psql(port: number, args: string[], env: Record<string, string> = {}): Promise<PsqlResult> {
  const cleanEnv: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin', HOME: '/nonexistent', ...env };
  return new Promise((resolve) => {
    const child = spawn('/usr/bin/psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', ...args], {
      env: cleanEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 15_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

describe('wire server with psql', () => {
  let db: EmbeddedDatabase;
  let port: number;

  beforeAll(async () => {
    db = await createEmbeddedDatabase({
      dataDir: 'memory://',
      wirePort: 0,
      wireSlotWaitMs: 300,
      wireIdleInTransactionTimeoutMs: 1_000,
    });
    port = db.wirePort ?? 0;
  }, 30_000);
  afterAll(async () => {
    await db?.close();
  });

  it('listens on 127.0.0.1 on an ephemeral port', () => {
    expect(port).toBeGreaterThan(0);
  });

  it('answers `psql -h 127.0.0.1 -p <port> -U postgres` as typed (sslmode=prefer, no password)', async () => {
    const result = await psql(port, ['-At', '-c', 'select 1 as one']);
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('1');
    expect(result.code).toBe(0);
  });

  it('tells a second simultaneous psql that the database is in use, and frees the slot after \\q', async () => {
    const first = spawn('/usr/bin/psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-At'], {
      env: { PATH: process.env.PATH ?? '/usr/bin', HOME: '/nonexistent' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let firstOut = '';
    first.stdout.on('data', (chunk: Buffer) => (firstOut += chunk.toString()));
    const firstExit = new Promise<number | null>((resolve) => first.on('exit', resolve));
    first.stdin.write("select 'first-ready';\n");
    await waitFor(() => firstOut.includes('first-ready'), { timeoutMs: 10_000, what: 'the first psql to connect' });

    const second = await psql(port, ['-At', '-c', 'select 2']);
    expect(second.code).not.toBe(0);
    expect(second.stderr).toMatch(/the embedded database accepts one connection at a time and it is in use/);
    expect(second.stderr).toMatch(/127\.0\.0\.1:\d+, connected \d+ s ago/);

    first.stdin.write('\\q\n');
    expect(await firstExit).toBe(0);
    const third = await psql(port, ['-At', '-c', 'select 3']);
    expect(third.stdout.trim()).toBe('3');
  }, 30_000);

  it('rolls back and disconnects a client that stalls inside a transaction, so the app goes on', async () => {
    await db.query('CREATE TABLE IF NOT EXISTS stalled (n int)');
    const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
    const clientError = new Promise<Error>((resolve) => client.on('error', resolve));
    await client.connect();
    await client.query('BEGIN');
    await client.query('INSERT INTO stalled VALUES (1)');
    const startedAt = Date.now();
    // The app's query waits for the client's transaction, which times out after 1 s.
    const { rows } = await db.query<{ n: number }>('SELECT count(*) AS n FROM stalled');
    expect(rows[0]?.n).toBe(0);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(900);
    expect((await clientError).message).toMatch(/transaction stayed open/);
    await client.end().catch(() => undefined);
    const next = await psql(port, ['-At', '-c', 'select 4']);
    expect(next.stdout.trim()).toBe('4');
  }, 30_000);
});

/** One instance (password, two slots) for the password tests and the contract through the wire. */
let sharedInstance: Promise<EmbeddedDatabase> | undefined;
const shared = (): Promise<EmbeddedDatabase> =>
  (sharedInstance ??= createEmbeddedDatabase({ dataDir: 'memory://', wirePort: 0, wirePassword: 's3cret', wireMaxClients: 2 }));

describe('wire server with a password (DB_PASSWORD) and two client slots', () => {
  let db: EmbeddedDatabase;
  beforeAll(async () => {
    db = await shared();
  }, 30_000);

  it('requires it from psql (md5), and accepts the right one', async () => {
    const port = db.wirePort ?? 0;
    const none = await psql(port, ['-At', '-c', 'select 1']);
    expect(none.code).not.toBe(0);
    expect(none.stderr).toMatch(/password authentication failed|no password supplied/);
    const wrong = await psql(port, ['-At', '-c', 'select 1'], { PGPASSWORD: 'nope' });
    expect(wrong.stderr).toMatch(/password authentication failed for user "postgres"/);
    const right = await psql(port, ['-At', '-c', 'select 5'], { PGPASSWORD: 's3cret' });
    expect(right.stdout.trim()).toBe('5');
  }, 30_000);

  it('serves two clients at once, a whole transaction at a time', async () => {
    const url = `postgres://postgres:s3cret@127.0.0.1:${db.wirePort}/postgres`;
    const a = new pg.Client({ connectionString: url });
    const b = new pg.Client({ connectionString: url });
    await Promise.all([a.connect(), b.connect()]);
    await a.query('CREATE TABLE IF NOT EXISTS two_clients (who text)');
    await a.query('BEGIN');
    await a.query("INSERT INTO two_clients VALUES ('a')");
    const bCount = b.query('SELECT count(*)::int AS n FROM two_clients');
    await a.query("INSERT INTO two_clients VALUES ('a2')");
    await a.query('COMMIT');
    expect((await bCount).rows[0].n).toBe(2);
    await Promise.all([a.end(), b.end()]);
  }, 30_000);
});

describeDatabaseContract('pg-adapter (pool of 1, md5 password) through the wire server', async () => {
  const embedded = await shared();
  const db = await createServerDatabase({ connectionString: `postgres://postgres:s3cret@127.0.0.1:${embedded.wirePort}/postgres`, max: 1 });
  return { db, teardown: () => embedded.close() };
});
