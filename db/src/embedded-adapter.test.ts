import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEmbeddedDatabase, resolveWorkerFile } from './embedded-adapter.js';
import { describeDatabaseContract } from './adapter-contract.suite.js';

describeDatabaseContract('embedded PGlite in a worker thread', async () => ({
  db: await createEmbeddedDatabase({ dataDir: 'memory://' }),
}));

describe('embedded adapter', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('finds the compiled worker from src (vitest) and from dist', () => {
    expect(resolveWorkerFile('file:///repo/db/src/embedded-adapter.ts')).toBe('/repo/db/dist/embedded-worker.js');
    expect(resolveWorkerFile('file:///repo/db/dist/embedded-adapter.js')).toBe('/repo/db/dist/embedded-worker.js');
  });

  it('persists under dataDir across restarts, and refuses a second opener of the same directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sw-db-embedded-'));
    dirs.push(dir);
    const first = await createEmbeddedDatabase({ dataDir: dir });
    await expect(createEmbeddedDatabase({ dataDir: dir })).rejects.toMatchObject({ code: 'SW_DB_DATA_DIR_IN_USE' });
    await first.query('CREATE TABLE kept (n int)');
    await first.transaction(async (tx) => {
      await tx.query('INSERT INTO kept VALUES (1), (2), (3)');
    });
    await first.close();

    const second = await createEmbeddedDatabase({ dataDir: dir });
    const { rows } = await second.query<{ total: number }>('SELECT sum(n)::int AS total FROM kept');
    expect(rows[0]?.total).toBe(6);
    await second.close();
  }, 30_000);
});
