/**
 * TimescaleDB policy jobs (continuous-aggregate refresh, compression, retention) for the embedded
 * database, which has no background workers: on a timer, read timescaledb_information.jobs, and
 * `CALL run_job($1)` each job whose schedule_interval has passed since its last run (kept in
 * policy_job_runs). Refreshes go first (5-minute before hourly: hierarchical aggregates), then
 * compression, then retention. A TimescaleDB server runs its own jobs: there the runner does nothing.
 */
import { pino } from 'pino';
import type { Logger } from 'pino';
import type { Database } from './port.js';

export interface PolicyJobRun {
  jobId: number;
  proc: string;
  /** Hypertable or continuous aggregate the job works on. */
  target: string | null;
  ok: boolean;
  ms: number;
  error?: string;
}

export interface PolicyRunnerOptions {
  /** How often to look for due jobs. Default 60 s. */
  intervalMs?: number;
  /** Delay before the first look (lets start-up finish first). Default 5 s. */
  initialDelayMs?: number;
  /** Run even on a server (whose own scheduler normally runs the jobs). Default false. */
  force?: boolean;
  logger?: Logger;
}

export interface PolicyRunner {
  /** Run every due job now, in order; resolves with one entry per job run. */
  runDueNow(): Promise<PolicyJobRun[]>;
  stop(): Promise<void>;
}

interface JobRow {
  job_id: number;
  proc_name: string;
  target: string | null;
  interval_s: number;
  due: boolean;
}

const PROC_ORDER: Record<string, number> = {
  policy_refresh_continuous_aggregate: 0,
  policy_compression: 1,
  policy_retention: 2,
};

/** Jobs due now: never run by us, or last run at least schedule_interval ago. */
const DUE_JOBS_SQL = `
SELECT j.job_id::int AS job_id, j.proc_name, j.hypertable_name AS target,
       extract(epoch FROM j.schedule_interval)::float8 AS interval_s,
       (r.last_run_at IS NULL OR r.last_run_at + j.schedule_interval <= now()) AS due
FROM timescaledb_information.jobs j
LEFT JOIN policy_job_runs r ON r.job_id = j.job_id
WHERE j.scheduled
ORDER BY j.job_id`;

const RECORD_RUN_SQL = `
INSERT INTO policy_job_runs (job_id, proc_name, last_run_at, last_ok, last_ms, last_error, runs, failures)
VALUES ($1, $2, now(), $3, $4, $5, 1, CASE WHEN $3 THEN 0 ELSE 1 END)
ON CONFLICT (job_id) DO UPDATE SET proc_name = EXCLUDED.proc_name, last_run_at = EXCLUDED.last_run_at,
  last_ok = EXCLUDED.last_ok, last_ms = EXCLUDED.last_ms, last_error = EXCLUDED.last_error,
  runs = policy_job_runs.runs + 1, failures = policy_job_runs.failures + EXCLUDED.failures`;

export function orderJobs<T extends { job_id: number; proc_name: string }>(jobs: T[]): T[] {
  const rank = (proc: string): number => PROC_ORDER[proc] ?? 3;
  return [...jobs].sort((a, b) => rank(a.proc_name) - rank(b.proc_name) || a.job_id - b.job_id);
}

export async function runDueJobs(db: Database, logger: Logger): Promise<PolicyJobRun[]> {
  const { rows } = await db.query<JobRow>(DUE_JOBS_SQL);
  const runs: PolicyJobRun[] = [];
  for (const job of orderJobs(rows.filter((row) => row.due))) {
    const startedAt = performance.now();
    let error: string | undefined;
    try {
      // The id goes as a parameter: CALL refuses subqueries in its arguments.
      await db.query('CALL run_job($1)', [job.job_id]);
    } catch (err) {
      error = (err as Error).message;
    }
    const ms = Math.round(performance.now() - startedAt);
    const run: PolicyJobRun = { jobId: job.job_id, proc: job.proc_name, target: job.target, ok: error === undefined, ms };
    if (error !== undefined) run.error = error;
    await db.query(RECORD_RUN_SQL, [job.job_id, job.proc_name, run.ok, ms, error ?? null]);
    if (run.ok) logger.debug(run, 'policy job ran');
    else logger.warn(run, 'policy job failed; it is retried at its next interval');
    runs.push(run);
  }
  return runs;
}

export function startPolicyRunner(db: Database, options: PolicyRunnerOptions = {}): PolicyRunner {
  const logger = (options.logger ?? pino({ level: 'silent' })).child({ component: 'db-policies' });
  if (db.kind === 'server' && !options.force) {
    logger.info('TimescaleDB server: its own scheduler runs the policy jobs');
    return { runDueNow: async () => [], stop: async () => {} };
  }
  let running: Promise<PolicyJobRun[]> | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const runDueNow = (): Promise<PolicyJobRun[]> => {
    if (stopped) return Promise.resolve([]);
    running ??= runDueJobs(db, logger).finally(() => {
      running = null;
    });
    return running;
  };

  const tick = (): void => {
    runDueNow().then(
      (runs) => {
        if (runs.length > 0) logger.info({ jobs: runs.length, ms: runs.reduce((sum, r) => sum + r.ms, 0) }, 'policy jobs ran');
      },
      (err: unknown) => logger.error({ err }, 'could not run policy jobs'),
    ).finally(() => {
      if (!stopped) timer = setTimeout(tick, options.intervalMs ?? 60_000).unref();
    });
  };
  timer = setTimeout(tick, options.initialDelayMs ?? 5_000).unref();

  return {
    runDueNow,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
