/**
 * Stable error codes of the database package (SW_DB_*). Every code is documented in docs/errors.md
 * (the catalogue test in tests/integration keeps the two in step). SQL errors from the engine are not wrapped: they keep the
 * SQLSTATE in `code` (e.g. '23505'), the same on both adapters.
 */
import { createError, type ErrorFactory } from '@streetwise/errors';

export const SW_DB_NO_TIMESCALE = createError(
  'SW_DB_NO_TIMESCALE',
  'the PostgreSQL server at %s has no TimescaleDB extension (%s). Install TimescaleDB on that server ' +
    '(https://docs.timescale.com/self-hosted/latest/install/) and allow CREATE EXTENSION timescaledb, ' +
    'or unset DATABASE_URL to use the embedded database (persisted under DATA_DIR)',
);
export const SW_DB_CONNECT_FAILED = createError(
  'SW_DB_CONNECT_FAILED',
  'cannot connect to the PostgreSQL server at %s: %s. Check that it runs and that DATABASE_URL is right, ' +
    'or unset DATABASE_URL to use the embedded database',
);
export const SW_DB_MIGRATION_CHANGED = createError(
  'SW_DB_MIGRATION_CHANGED',
  'migration %s was changed after it was applied (applied checksum %s, file now %s). Applied migrations are ' +
    'immutable: restore the file and put the change in a new numbered migration',
);
export const SW_DB_MIGRATION_FAILED = createError('SW_DB_MIGRATION_FAILED', 'migration %s failed and was rolled back: %s');
export const SW_DB_MIGRATIONS_MISSING = createError(
  'SW_DB_MIGRATIONS_MISSING',
  'no migrations found in %s; the @streetwise/db package is incomplete (its migrations/ folder sits next to dist/)',
);
export const SW_DB_WORKER_MISSING = createError(
  'SW_DB_WORKER_MISSING',
  'the embedded database worker %s does not exist; build the package first: npx tsc --build db',
);
export const SW_DB_EMBEDDED_START_FAILED = createError(
  'SW_DB_EMBEDDED_START_FAILED',
  'the embedded database could not start with data directory %s: %s',
);
export const SW_DB_DATA_DIR_IN_USE = createError(
  'SW_DB_DATA_DIR_IN_USE',
  'the embedded database directory %s is in use by process %s; stop that process, or give this one its own DATA_DIR',
);
export const SW_DB_WORKER_EXITED = createError(
  'SW_DB_WORKER_EXITED',
  'the embedded database worker stopped unexpectedly (%s); restart the process (the data under DATA_DIR is kept)',
);
export const SW_DB_CLOSED = createError('SW_DB_CLOSED', 'the database is closed; %s was called after close()');
export const SW_DB_TX_FINISHED = createError(
  'SW_DB_TX_FINISHED',
  'a query was sent on a transaction that already ended; use the tx object only inside the transaction callback',
);
export const SW_DB_WIRE_PORT_IN_USE = createError(
  'SW_DB_WIRE_PORT_IN_USE',
  'port %s on 127.0.0.1 is taken, so the embedded database cannot be exposed to psql; set DB_PORT to a free port (0 picks one)',
);
export const SW_DB_NOTIFY_PAYLOAD_TOO_LARGE = createError(
  'SW_DB_NOTIFY_PAYLOAD_TOO_LARGE',
  'notification payload for channel %s is %s bytes; PostgreSQL allows < 8000: send ids and let listeners query the rest',
);
export const SW_DB_CHANNEL_INVALID = createError(
  'SW_DB_CHANNEL_INVALID',
  'channel name "%s" is invalid: use 1-63 lowercase letters, digits or "_", starting with a letter',
);
export const SW_DB_QUERY_INSIDE_TRANSACTION = createError(
  'SW_DB_QUERY_INSIDE_TRANSACTION',
  'db.%s() was called inside a transaction callback on the embedded database, whose one session the transaction ' +
    'holds until it ends: it would wait forever. Use the tx argument (tx.query) inside the callback, or run it after',
);

/** Every factory above, for the documentation test. */
export const DB_ERRORS: readonly ErrorFactory[] = [
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
];
