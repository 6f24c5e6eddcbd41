import { runDatabaseBench } from '@streetwise/db';
import type { BenchOptions, SuiteResult } from './main.js';

/** Embedded database: start-up, batched inserts through the worker vs the main thread, event-loop lag. */
export async function run(options: BenchOptions): Promise<SuiteResult> {
  const result = await runDatabaseBench({ progress: options.progress });
  return { suite: 'db', figures: result.figures };
}
