/**
 * PRIVACY.md, DPP2 (retention): every retention policy of the migrated database drops what is past its time
 * and keeps what is not. Old and recent rows go into every hypertable with a policy (and into the continuous
 * aggregates with one, materialised by hand), the due policy jobs run the way the embedded database runs
 * them (db/src/policy-jobs.ts), and the old rows are gone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPolicyRunner, type Database } from '@streetwise/db';
import { embeddedDb } from '../src/ingest/fixtures.js';

/** What PRIVACY.md's retention table says, in days; the test fails when a policy is added, removed or changed. */
const RETENTION_DAYS: Record<string, number> = {
  telemetry: 90,
  health: 30,
  events: 400,
  forecasts: 90,
  audit_log: 730,
  telemetry_5m: 400,
  telemetry_1d: 1830,
};

/** One row `daysAgo` old in a hypertable (the time column, then what its NOT NULL columns need). */
const INSERT: Record<string, string> = {
  telemetry: `INSERT INTO telemetry (time, id, device_id, interval_s, count_car) VALUES (now() - make_interval(days => $1), gen_random_uuid(), 'cam-r', 60, 1)`,
  health: `INSERT INTO health (time, id, device_id, uptime_s, outbox_depth) VALUES (now() - make_interval(days => $1), gen_random_uuid(), 'cam-r', 1, 0)`,
  events: `INSERT INTO events (time, id, device_id, type, severity, lat, lon) VALUES (now() - make_interval(days => $1), gen_random_uuid(), 'cam-r', 'intrusion', 'high', 22.3, 114.2)`,
  forecasts: `INSERT INTO forecasts (target_time, device_id, horizon_min, issued_at, flow, model_name, model_version) VALUES (now() - make_interval(days => $1), 'cam-r', 15, now() - make_interval(days => $1), 10, 'm', '1')`,
  audit_log: `INSERT INTO audit_log (at, username, action, what) VALUES (now() - make_interval(days => $1), 'plan-1', 'export', '/api/v1/analytics/volume?format=csv')`,
};
const TIME_COLUMN: Record<string, string> = { forecasts: 'target_time', audit_log: 'at' };

describe('retention: the policy jobs drop what is past its time', () => {
  let db: Database;
  beforeAll(async () => {
    db = await embeddedDb();
  }, 60_000);
  afterAll(async () => {
    await db?.close();
  });

  /** Rows older than `days` in a table, or in a continuous aggregate's materialisation (by its bucket). */
  async function olderThan(table: string, days: number): Promise<number> {
    const { rows: cagg } = await db.query<{ schema: string; name: string }>(
      `SELECT materialization_hypertable_schema AS schema, materialization_hypertable_name AS name FROM timescaledb_information.continuous_aggregates WHERE view_name = $1`,
      [table],
    );
    const from = cagg[0] ? `"${cagg[0].schema}"."${cagg[0].name}"` : table;
    const column = cagg[0] ? 'bucket' : (TIME_COLUMN[table] ?? 'time');
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${from} WHERE ${column} < now() - make_interval(days => $1)`, [days]);
    return rows[0]!.n;
  }

  it('has the retention policies PRIVACY.md lists, and each drops old rows and keeps recent ones', async () => {
    const { rows: policies } = await db.query<{ target: string; days: number }>(
      `SELECT hypertable_name AS target, extract(day FROM (config->>'drop_after')::interval)::int AS days
       FROM timescaledb_information.jobs WHERE proc_name = 'policy_retention' ORDER BY hypertable_name`,
    );
    // Continuous aggregates appear under their own (view) names in timescaledb_information.jobs.
    expect(Object.fromEntries(policies.map((p) => [p.target, p.days]))).toEqual(RETENTION_DAYS);

    for (const [table, sql] of Object.entries(INSERT)) {
      const days = RETENTION_DAYS[table]!;
      for (const age of [days + 20, days - 20, 1]) await db.query(sql, [age]);
    }
    // The aggregates' policies refresh only recent windows: materialise old telemetry by hand, then check
    // their own retention (telemetry's raw rows go after 90 days, the aggregates keep theirs longer).
    for (const age of [2000, 1000, 500, 300]) await db.query(INSERT.telemetry!, [age]);
    for (const view of ['telemetry_5m', 'telemetry_1h', 'telemetry_1d']) {
      await db.query(`CALL refresh_continuous_aggregate('${view}', now() - interval '2100 days', now() - interval '2 days')`);
    }
    const before: Record<string, number> = {};
    for (const [table, days] of Object.entries(RETENTION_DAYS)) {
      before[table] = await olderThan(table, days);
      expect(before[table], `${table} has rows past ${days} days before the jobs run`).toBeGreaterThan(0);
    }

    const runner = startPolicyRunner(db, { initialDelayMs: 3_600_000 });
    const runs = await runner.runDueNow();
    await runner.stop();
    expect(runs.filter((r) => !r.ok)).toEqual([]);
    expect(runs.filter((r) => r.proc === 'policy_retention').length).toBe(Object.keys(RETENTION_DAYS).length);

    for (const [table, days] of Object.entries(RETENTION_DAYS)) {
      expect(await olderThan(table, days), `${table}: rows past ${days} days after the jobs ran`).toBe(0);
      // Recent rows stay (20 days inside the limit, and yesterday's).
      expect(await olderThan(table, Math.max(0, days - 30)) + (await olderThan(table, 0)), `${table} keeps its recent rows`).toBeGreaterThan(0);
    }
    for (const table of Object.keys(INSERT)) {
      const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${TIME_COLUMN[table] ?? 'time'} > now() - make_interval(days => $1)`, [RETENTION_DAYS[table]!]);
      expect(rows[0]!.n, `${table}: the two recent rows`).toBeGreaterThanOrEqual(2);
    }
  }, 120_000);
});
