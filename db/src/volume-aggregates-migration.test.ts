/**
 * 0103/0104 on a database that already holds telemetry and materialised aggregates (built by 0001–0102):
 * the rebuilt telemetry_5m/_1h/_1d carry `volume` (Σ volume of the rows without class counts), and data
 * stored before the migration — 20 days old, outside every refresh policy's window — is materialised and
 * still answered after the policy runner's first refreshes move the watermarks to now.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedDatabase } from './embedded-adapter.js';
import type { EmbeddedDatabase } from './embedded-adapter.js';
import { MIGRATIONS_DIR, migrate, splitStatements } from './migrate.js';
import { runDueJobs } from './policy-jobs.js';

const NEW_FILES = ['0103_volume_aggregates.sql', '0104_volume_aggregates_refresh.sql'];

describe('0103/0104: volume in the rebuilt telemetry aggregates', () => {
  let db: EmbeddedDatabase;
  const dir = mkdtempSync(join(tmpdir(), 'sw-db-volume-'));

  beforeAll(async () => {
    db = await createEmbeddedDatabase({ dataDir: 'memory://' });
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    for (const name of NEW_FILES) rmSync(join(dir, name));
  }, 30_000);
  afterAll(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('splits a no-transaction file into statements, comments dropped', () => {
    expect(splitStatements('-- migrate:no-transaction\n-- why\nCALL a(1);\nCALL b(2);  \n\n-- end\n')).toEqual(['-- migrate:no-transaction\n-- why\nCALL a(1)', 'CALL b(2)']);
  });

  it('keeps data stored before the migration, with loop-detector volume at 5 minutes, hours and days', async () => {
    const before = await migrate(db, { dir });
    expect(before.applied).not.toContain(NEW_FILES[0]);
    // 20 days ago, 10 minutes past an hour (one 5-minute bucket): a camera (3 cars + 1 bus, no volume), a
    // loop detector (volume 7 and 5, no classes), a row with both (2 cars, volume 9: its classes count).
    // 2 hours ago: the detector again (volume 4).
    await db.query(`
      CREATE TEMP TABLE t0 AS SELECT date_trunc('hour', now() - interval '20 days') + interval '10 minutes' AS old,
                                     date_trunc('hour', now() - interval '2 hours') + interval '10 minutes' AS recent;
      INSERT INTO telemetry (time, id, device_id, interval_s, count_car, count_bus, volume)
      SELECT old, gen_random_uuid(), 'cam', 60, 3, 1, NULL FROM t0
      UNION ALL SELECT old, gen_random_uuid(), 'td', 60, NULL, NULL, 7 FROM t0
      UNION ALL SELECT old + interval '1 minute', gen_random_uuid(), 'td', 60, NULL, NULL, 5 FROM t0
      UNION ALL SELECT old, gen_random_uuid(), 'mix', 60, 2, NULL, 9 FROM t0
      UNION ALL SELECT recent, gen_random_uuid(), 'td', 60, NULL, NULL, 4 FROM t0`);
    await db.query("CALL refresh_continuous_aggregate('telemetry_5m', NULL, NULL)");
    await db.query("CALL refresh_continuous_aggregate('telemetry_1h', NULL, NULL)");
    await db.query("CALL refresh_continuous_aggregate('telemetry_1d', NULL, NULL)");

    for (const name of NEW_FILES) cpSync(join(MIGRATIONS_DIR, name), join(dir, name));
    expect((await migrate(db, { dir })).applied).toEqual(NEW_FILES);

    // Materialised by 0104: read the 5-minute aggregate's own hypertable, not the real-time view.
    const { rows: mat } = await db.query<{ schema: string; table: string }>(
      `SELECT materialization_hypertable_schema AS schema, materialization_hypertable_name AS table
       FROM timescaledb_information.continuous_aggregates WHERE view_name = 'telemetry_5m'`,
    );
    const materialised = await db.query<{ device_id: string; volume: number | null; cars: number | null }>(
      `SELECT device_id, sum(volume)::int AS volume, sum(count_car)::int AS cars FROM "${mat[0]?.schema}"."${mat[0]?.table}" GROUP BY 1 ORDER BY 1`,
    );
    expect(materialised.rows).toEqual([
      { device_id: 'cam', volume: null, cars: 3 },
      { device_id: 'mix', volume: null, cars: 2 },
      { device_id: 'td', volume: 16, cars: null },
    ]);

    // The policy jobs 0103 re-added run (refresh windows of 3, 7 and 10 days); old data stays visible.
    const runs = await runDueJobs(db, pino({ level: 'silent' }));
    expect(runs.filter((r) => r.proc === 'policy_refresh_continuous_aggregate').map((r) => [r.target, r.ok])).toEqual(
      expect.arrayContaining([['telemetry_5m', true], ['telemetry_1h', true], ['telemetry_1d', true]]),
    );
    for (const view of ['telemetry_5m', 'telemetry_1h', 'telemetry_1d']) {
      const { rows } = await db.query<{ device_id: string; volume: number | null; buckets: number; cars: number | null; buses: number | null }>(
        `SELECT device_id, sum(volume)::int AS volume, count(*)::int AS buckets, sum(count_car)::int AS cars, sum(count_bus)::int AS buses
         FROM ${view} t, t0 WHERE bucket <= t0.old GROUP BY 1 ORDER BY 1`,
      );
      expect(rows, view).toEqual([
        { device_id: 'cam', volume: null, buckets: 1, cars: 3, buses: 1 },
        { device_id: 'mix', volume: null, buckets: 1, cars: 2, buses: null },
        { device_id: 'td', volume: 12, buckets: 1, cars: null, buses: null },
      ]);
      const all = await db.query<{ volume: number }>(`SELECT sum(volume)::int AS volume FROM ${view} WHERE device_id = 'td'`);
      expect(all.rows[0]?.volume, view).toBe(16);
    }
    const policies = await db.query<{ view: string; proc: string; config: Record<string, unknown> }>(
      `SELECT hypertable_name AS view, proc_name AS proc, config FROM timescaledb_information.jobs
       WHERE hypertable_name IN ('telemetry_5m', 'telemetry_1h', 'telemetry_1d') ORDER BY 1, 2`,
    );
    expect(policies.rows.map((p) => [p.view, p.proc, p.config['start_offset'] ?? p.config['drop_after'], p.config['end_offset'] ?? null])).toEqual([
      ['telemetry_1d', 'policy_refresh_continuous_aggregate', '10 days', '1 day'],
      ['telemetry_1d', 'policy_retention', '1830 days', null],
      ['telemetry_1h', 'policy_refresh_continuous_aggregate', '7 days', '01:00:00'],
      ['telemetry_5m', 'policy_refresh_continuous_aggregate', '3 days', '00:05:00'],
      ['telemetry_5m', 'policy_retention', '400 days', null],
    ]);
  }, 120_000);
});
