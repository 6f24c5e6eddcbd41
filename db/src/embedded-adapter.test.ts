import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createEmbeddedDatabase } from './embedded-adapter.js';
import { resolveWorkerFile } from './worker-client.js';
import { createDatabase } from './create-database.js';
import { describeDatabaseContract } from './adapter-contract.suite.js';

/** The child process runs the compiled package, as the app does. */
const DIST_INDEX = fileURLToPath(new URL('../dist/index.js', import.meta.url));

describeDatabaseContract('embedded PGlite in a worker thread', async () => ({
  db: await createEmbeddedDatabase({ dataDir: 'memory://' }),
}));

describe('embedded adapter', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('is what createDatabase picks without DATABASE_URL; refuses db.query inside its own transaction callback', async () => {
    const db = await createDatabase({ databaseUrl: '', dataDir: 'memory://', wirePort: 0 });
    try {
      expect(db.kind).toBe('embedded');
      expect((db as { wirePort?: number | null }).wirePort).toBeGreaterThan(0);
      await expect(
        db.transaction(async (tx) => {
          await tx.query('SELECT 1');
          await db.query('SELECT 2');
        }),
      ).rejects.toMatchObject({ code: 'SW_DB_QUERY_INSIDE_TRANSACTION' });
      await expect(db.transaction(async () => db.transaction(async () => 1))).rejects.toMatchObject({ code: 'SW_DB_QUERY_INSIDE_TRANSACTION' });
      // Work started inside the callback may use db once the transaction has ended.
      let later: Promise<unknown> = Promise.resolve();
      await db.transaction(async () => {
        later = new Promise((resolve) => setImmediate(resolve)).then(() => db.query('SELECT 3'));
      });
      await expect(later).resolves.toMatchObject({ rowCount: 1 });
    } finally {
      await db.close();
    }
  }, 30_000);

  it('tells how busy its thread was: near 0 while idle, most of an interval spent on a long query', async () => {
    const db = await createEmbeddedDatabase({ dataDir: 'memory://' });
    try {
      const { eventLoopUtilization } = performance;
      // A first query waits for whatever start-up work the worker still has queued: that is not idle time.
      await db.query('select 1');
      const start = db.busy();
      await new Promise((resolve) => setTimeout(resolve, 200));
      const idle = eventLoopUtilization(db.busy(), start);
      expect(idle.utilization).toBeLessThan(0.2);
      const before = db.busy();
      await db.query('select count(*) from generate_series(1, 3000000)');
      const working = eventLoopUtilization(db.busy(), before);
      expect(working.active).toBeGreaterThan(50);
      expect(working.utilization).toBeGreaterThan(0.6);
    } finally {
      await db.close();
    }
  });

  it('finds the compiled worker from src (vitest) and from dist', () => {
    expect(resolveWorkerFile('file:///repo/db/src/embedded-adapter.ts')).toBe('/repo/db/dist/embedded-worker.js');
    expect(resolveWorkerFile('file:///repo/db/dist/embedded-adapter.js')).toBe('/repo/db/dist/embedded-worker.js');
  });

  it('keeps committed rows when its process is SIGKILLed, takes over the stale lock, refuses a second opener', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sw-db-embedded-'));
    dirs.push(dir);
    const script = `
      const { createEmbeddedDatabase } = await import(${JSON.stringify(pathToFileURL(DIST_INDEX).href)});
      const db = await createEmbeddedDatabase({ dataDir: ${JSON.stringify(dir)} });
      await db.query('CREATE TABLE kept (n int)');
      for (let i = 0; i < 10; i++) await db.query('INSERT INTO kept SELECT generate_series($1::int, $1::int + 99)', [i * 100]);
      await db.transaction(async (tx) => { await tx.query('INSERT INTO kept VALUES (-1)'); });
      process.kill(process.pid, 'SIGKILL');`;
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => {
      spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'inherit' }).on('exit', (_code, sig) => resolve(sig));
    });
    expect(signal).toBe('SIGKILL');

    const reopened = await createEmbeddedDatabase({ dataDir: dir });
    await expect(createEmbeddedDatabase({ dataDir: dir })).rejects.toMatchObject({ code: 'SW_DB_DATA_DIR_IN_USE' });
    const { rows } = await reopened.query<{ n: number; total: number }>('SELECT count(*) AS n, sum(n)::int AS total FROM kept');
    expect(rows[0]).toEqual({ n: 1001, total: 499_499 });
    await reopened.query('INSERT INTO kept VALUES (1)');
    await reopened.close();

    const again = await createEmbeddedDatabase({ dataDir: dir });
    expect((await again.query<{ n: number }>('SELECT count(*) AS n FROM kept')).rows[0]?.n).toBe(1002);
    await again.close();
  }, 60_000);
});
