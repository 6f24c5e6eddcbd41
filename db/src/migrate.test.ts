import { cpSync, mkdtempSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedDatabase } from './embedded-adapter.js';
import type { EmbeddedDatabase } from './embedded-adapter.js';
import { MIGRATIONS_DIR, checksumOf, migrate, readMigrations } from './migrate.js';

describe('migrations on the embedded database', () => {
  let db: EmbeddedDatabase;
  const dir = mkdtempSync(join(tmpdir(), 'sw-db-migrations-'));

  beforeAll(async () => {
    db = await createEmbeddedDatabase({ dataDir: 'memory://' });
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  }, 30_000);
  afterAll(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds db/migrations from src and dist alike, in order', () => {
    const files = readMigrations();
    expect(files.map((f) => f.name).slice(0, 4)).toEqual(['0001_core.sql', '0002_aggregates.sql', '0003_policies.sql', '0004_policy_job_runs.sql']);
    expect(files.every((f) => f.checksum === checksumOf(f.sql))).toBe(true);
  });

  it('applies every file once, each recorded with its checksum', async () => {
    const files = readMigrations(dir);
    const first = await migrate(db, { dir });
    expect(first.applied).toEqual(files.map((f) => f.name));
    const { rows } = await db.query<{ version: string; checksum: string }>('SELECT version, checksum FROM schema_migrations ORDER BY version');
    expect(rows).toEqual(files.map((f) => ({ version: f.version, checksum: f.checksum })));
    const again = await migrate(db, { dir });
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toEqual(files.map((f) => f.version));
  });

  it('creates the hypertables, continuous aggregates and policies', async () => {
    const hypertables = await db.query<{ hypertable_name: string }>('SELECT hypertable_name FROM timescaledb_information.hypertables ORDER BY 1');
    expect(hypertables.rows.map((r) => r.hypertable_name)).toEqual(expect.arrayContaining(['events', 'health', 'telemetry']));
    const caggs = await db.query<{ view_name: string }>('SELECT view_name FROM timescaledb_information.continuous_aggregates ORDER BY 1');
    expect(caggs.rows.map((r) => r.view_name)).toEqual(expect.arrayContaining(['events_1h', 'events_5m', 'telemetry_1h', 'telemetry_5m']));
    const jobs = await db.query<{ proc_name: string; n: number }>(
      "SELECT proc_name, count(*) AS n FROM timescaledb_information.jobs WHERE proc_name LIKE 'policy_%' GROUP BY 1 ORDER BY 1",
    );
    const byProc = Object.fromEntries(jobs.rows.map((r) => [r.proc_name, r.n]));
    expect(byProc.policy_compression).toBe(3);
    expect(byProc.policy_retention).toBeGreaterThanOrEqual(4);
    expect(byProc.policy_refresh_continuous_aggregate).toBeGreaterThanOrEqual(4);
  });

  it('refuses to go on when an applied file changed (SW_DB_MIGRATION_CHANGED)', async () => {
    const core = join(dir, '0001_core.sql');
    appendFileSync(core, '\n-- edited after it was applied\n');
    const err = await migrate(db, { dir }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SW_DB_MIGRATION_CHANGED' });
    expect((err as Error).message).toMatch(/0001_core\.sql was changed/);
    cpSync(join(MIGRATIONS_DIR, '0001_core.sql'), core);
  });

  it('rolls back a failing migration entirely (SW_DB_MIGRATION_FAILED) and applies it once fixed', async () => {
    const broken = join(dir, '9001_broken.sql');
    writeFileSync(broken, 'CREATE TABLE half_done (n int);\nSELECT 1 / 0;\n');
    await expect(migrate(db, { dir })).rejects.toMatchObject({ code: 'SW_DB_MIGRATION_FAILED', message: expect.stringMatching(/9001_broken\.sql.*division by zero/) });
    const { rows } = await db.query<{ n: number }>("SELECT count(*) AS n FROM pg_tables WHERE tablename = 'half_done'");
    expect(rows[0]?.n).toBe(0);
    writeFileSync(broken, 'CREATE TABLE half_done (n int);\n');
    expect((await migrate(db, { dir })).applied).toEqual(['9001_broken.sql']);
  });
});
