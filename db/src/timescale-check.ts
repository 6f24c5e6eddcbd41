/** A server without TimescaleDB cannot hold our schema: say so at connect time, with what to do. */
import type { Queryable } from './port.js';
import { SW_DB_NO_TIMESCALE } from './errors.js';

export interface TimescaleStatus {
  installedVersion: string | null;
  availableVersion: string | null;
}

export async function timescaleStatus(q: Queryable): Promise<TimescaleStatus> {
  const { rows } = await q.query<{ installed_version: string | null; default_version: string | null }>(
    `SELECT (SELECT extversion FROM pg_extension WHERE extname = 'timescaledb') AS installed_version,
            (SELECT default_version FROM pg_available_extensions WHERE name = 'timescaledb') AS default_version`,
  );
  return { installedVersion: rows[0]?.installed_version ?? null, availableVersion: rows[0]?.default_version ?? null };
}

/** Throws SW_DB_NO_TIMESCALE unless timescaledb is installed in, or available to, this database. */
export async function assertTimescale(q: Queryable, where: string): Promise<TimescaleStatus> {
  const status = await timescaleStatus(q);
  if (status.installedVersion === null && status.availableVersion === null) {
    throw SW_DB_NO_TIMESCALE([where, 'the extension is neither installed nor available (pg_available_extensions)']);
  }
  return status;
}

/** The connection string without its password, for messages and logs. */
export function redactUrl(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(unparsable DATABASE_URL)';
  }
}
