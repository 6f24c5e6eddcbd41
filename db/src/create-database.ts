/**
 * Pick the adapter: DATABASE_URL set → a PostgreSQL+TimescaleDB server (pg.Pool); otherwise the
 * embedded database in a worker thread, persisted under DATA_DIR and exposed to psql on DB_PORT.
 */
import type { Logger } from 'pino';
import type { Database } from './port.js';
import { createEmbeddedDatabase } from './embedded-adapter.js';
import type { EmbeddedDatabaseOptions } from './embedded-adapter.js';
import { createServerDatabase } from './pg-adapter.js';

export interface CreateDatabaseOptions {
  /** DATABASE_URL: when set (non-empty), use that server instead of the embedded database. */
  databaseUrl?: string | undefined;
  /** DATA_DIR: the embedded database lives in `<dataDir>/pgdata` ('memory://' for a throw-away one). */
  dataDir: string;
  /** DB_PORT: the embedded database's wire-protocol port on 127.0.0.1 (0 = any free port, null = off). */
  wirePort?: number | null;
  /** DB_PASSWORD: required from wire clients when set. */
  wirePassword?: string | null;
  /** Pool size for a server. */
  max?: number;
  logger?: Logger;
  /** Extra embedded options (timeouts of the wire server). */
  embedded?: Omit<EmbeddedDatabaseOptions, 'dataDir' | 'wirePort' | 'wirePassword' | 'logger'>;
}

export async function createDatabase(options: CreateDatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    return createServerDatabase({
      connectionString: options.databaseUrl,
      ...(options.max === undefined ? {} : { max: options.max }),
      ...(options.logger ? { logger: options.logger } : {}),
    });
  }
  return createEmbeddedDatabase({
    ...options.embedded,
    dataDir: options.dataDir,
    wirePort: options.wirePort ?? null,
    wirePassword: options.wirePassword ?? null,
    ...(options.logger ? { logger: options.logger } : {}),
  });
}
