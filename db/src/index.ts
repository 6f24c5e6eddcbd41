export type { Database, DatabaseKind, Queryable, QueryResult, TransactionOptions, TransactionQueryable } from './port.js';
export { createEmbeddedDatabase, MEMORY_DATA_DIR } from './embedded-adapter.js';
export { resolveWorkerFile } from './worker-client.js';
export type { EmbeddedDatabase, EmbeddedDatabaseOptions } from './embedded-adapter.js';
export { createDatabase } from './create-database.js';
export type { CreateDatabaseOptions } from './create-database.js';
export { createServerDatabase } from './pg-adapter.js';
export type { ServerDatabase, ServerDatabaseOptions } from './pg-adapter.js';
export { assertTimescale, timescaleStatus, redactUrl } from './timescale-check.js';
export type { TimescaleStatus } from './timescale-check.js';
export { migrate, readMigrations, checksumOf, MIGRATIONS_DIR } from './migrate.js';
export type { MigrateOptions, MigrateResult, MigrationFile } from './migrate.js';
export { startPolicyRunner, runDueJobs, orderJobs } from './policy-jobs.js';
export type { PolicyRunner, PolicyRunnerOptions, PolicyJobRun } from './policy-jobs.js';
export { measureEventLoopLag } from './event-loop-lag.js';
export type { LagMeasurement } from './event-loop-lag.js';
export { runDatabaseBench } from './bench.js';
export type { DatabaseBenchOptions, DatabaseBenchResult } from './bench.js';
export { NOTIFY_CHANNELS, NOTIFY_PAYLOAD_MAX_BYTES, notify, encodeNotifyPayload, assertChannelName } from './notify.js';
export type { NotifyChannel } from './notify.js';
export {
  SW_DB_NO_TIMESCALE,
  SW_DB_CONNECT_FAILED,
  SW_DB_MIGRATION_CHANGED,
  SW_DB_MIGRATION_FAILED,
  SW_DB_MIGRATIONS_MISSING,
  SW_DB_WORKER_MISSING,
  SW_DB_EMBEDDED_START_FAILED,
  SW_DB_DATA_DIR_IN_USE,
  SW_DB_WORKER_EXITED,
  SW_DB_CLOSED,
  SW_DB_TX_FINISHED,
  SW_DB_WIRE_PORT_IN_USE,
  SW_DB_NOTIFY_PAYLOAD_TOO_LARGE,
  SW_DB_CHANNEL_INVALID,
  SW_DB_QUERY_INSIDE_TRANSACTION,
  DB_ERRORS,
} from './errors.js';
