/**
 * The policy runner on the embedded database (no TimescaleDB background workers): a due refresh
 * really materialises the continuous aggregate, retention really drops an old chunk, compression
 * really compresses one, and a second look finds nothing due.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedDatabase } from './embedded-adapter.js';
import type { EmbeddedDatabase } from './embedded-adapter.js';
import { migrate } from './migrate.js';
import { orderJobs, startPolicyRunner } from './policy-jobs.js';
import type { PolicyRunner } from './policy-jobs.js';

describe('policy runner', () => {
  let db: EmbeddedDatabase;
  let runner: PolicyRunner;

  beforeAll(async () => {
    db = await createEmbeddedDatabase({ dataDir: 'memory://' });
    await migrate(db);
    runner = startPolicyRunner(db, { initialDelayMs: 3_600_000 });
  }, 60_000);
  afterAll(async () => {
    await runner?.stop();
    await db?.close();
  });

  it('orders refreshes before compression before retention', () => {
    const ordered = orderJobs([
      { job_id: 5, proc_name: 'policy_retention' },
      { job_id: 9, proc_name: 'policy_refresh_continuous_aggregate' },
      { job_id: 2, proc_name: 'policy_compression' },
      { job_id: 1, proc_name: 'policy_refresh_continuous_aggregate' },
    ]);
    expect(ordered.map((j) => j.job_id)).toEqual([1, 9, 2, 5]);
  });

  it('runs the due jobs: refresh materialises, compression compresses, retention drops old chunks', async () => {
    // 12 telemetry rows an hour ago in one 5-minute bucket (3 cars each = 36), 12 from 10 days ago
    // (compressible: older than 7 days), and health rows 40 days old (retention 30 days) and recent.
    await db.query(`
      INSERT INTO telemetry (time, id, device_id, interval_s, count_car)
      SELECT date_trunc('hour', now()) - interval '1 hour' + (g || ' seconds')::interval, gen_random_uuid(), 'cam-1', 10, 3
      FROM generate_series(0, 110, 10) g;
      INSERT INTO telemetry (time, id, device_id, interval_s, count_car)
      SELECT now() - interval '10 days' + (g || ' seconds')::interval, gen_random_uuid(), 'cam-1', 10, 1
      FROM generate_series(0, 110, 10) g;
      INSERT INTO health (time, id, device_id, uptime_s, outbox_depth)
      SELECT now() - (d || ' days')::interval, gen_random_uuid(), 'cam-1', 1, 0 FROM unnest(ARRAY[40, 1]) d`);
    const healthChunks = async (): Promise<number> =>
      (await db.query<{ n: number }>("SELECT count(*) AS n FROM timescaledb_information.chunks WHERE hypertable_name = 'health'")).rows[0]?.n ?? -1;
    expect(await healthChunks()).toBe(2);
    const { rows: mat } = await db.query<{ schema: string; table: string }>(
      `SELECT materialization_hypertable_schema AS schema, materialization_hypertable_name AS table
       FROM timescaledb_information.continuous_aggregates WHERE view_name = 'telemetry_5m'`,
    );
    const materialised = `"${mat[0]?.schema}"."${mat[0]?.table}"`;
    const carsMaterialised = async (): Promise<number | null> =>
      (await db.query<{ cars: number | null }>(`SELECT sum(count_car)::int AS cars FROM ${materialised}`)).rows[0]?.cars ?? null;
    expect(await carsMaterialised()).toBeNull();

    const runs = await runner.runDueNow();
    expect(runs.filter((r) => !r.ok)).toEqual([]);
    const procs = new Set(runs.map((r) => r.proc));
    expect(procs).toEqual(new Set(['policy_refresh_continuous_aggregate', 'policy_compression', 'policy_retention', 'policy_job_stat_history_retention']));

    expect(await carsMaterialised()).toBe(36);
    expect(await healthChunks()).toBe(1);
    const compressed = await db.query<{ n: number }>(
      "SELECT count(*) AS n FROM timescaledb_information.chunks WHERE hypertable_name = 'telemetry' AND is_compressed",
    );
    expect(compressed.rows[0]?.n).toBe(1);
    // Compressed rows still read back.
    const old = await db.query<{ cars: number }>("SELECT sum(count_car)::int AS cars FROM telemetry WHERE time < now() - interval '9 days'");
    expect(old.rows[0]?.cars).toBe(12);

    const recorded = await db.query<{ n: number }>('SELECT count(*) AS n FROM policy_job_runs WHERE last_ok');
    expect(recorded.rows[0]?.n).toBe(runs.length);
    expect(await runner.runDueNow()).toEqual([]);
  }, 60_000);

  it('does nothing on a TimescaleDB server, whose scheduler runs the jobs', async () => {
    const serverLike = { ...db, kind: 'server' as const };
    const serverRunner = startPolicyRunner(serverLike);
    expect(await serverRunner.runDueNow()).toEqual([]);
    await serverRunner.stop();
  });
});
