import { runDatabaseBench } from '@streetwise/db';
import type { SuiteGoals } from './goals.js';
import type { BenchOptions, SuiteResult } from './main.js';

/** Embedded database: start-up, batched inserts through the worker vs the main thread, event-loop lag. */
export async function run(options: BenchOptions): Promise<SuiteResult> {
  const result = await runDatabaseBench({ progress: options.progress });
  return { suite: 'db', figures: result.figures };
}

/** Each variant against the database on the main thread (no bound: the issue set none). */
export const GOALS: SuiteGoals = {
  worker_batch_insert_rows_per_s: { against: 'inprocess_batch_insert_rows_per_s' },
  wire_batch_insert_rows_per_s: { against: 'inprocess_batch_insert_rows_per_s' },
  lag_max_ms_worker: { against: 'lag_max_ms_inprocess' },
  heavy_query_ms_worker: { against: 'heavy_query_ms_inprocess' },
};
