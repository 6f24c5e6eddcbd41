-- When the app last ran each TimescaleDB job itself (embedded mode: PGlite has no background workers,
-- and CALL run_job() does not update timescaledb_information.job_stats). Kept across restarts so a
-- restart does not re-run every job at once. Unused on a TimescaleDB server, whose scheduler runs jobs.
CREATE TABLE policy_job_runs (
  job_id      integer PRIMARY KEY,
  proc_name   text NOT NULL,
  last_run_at timestamptz NOT NULL,
  last_ok     boolean NOT NULL,
  last_ms     integer NOT NULL,
  last_error  text,
  runs        bigint NOT NULL DEFAULT 1,
  failures    bigint NOT NULL DEFAULT 0
);
