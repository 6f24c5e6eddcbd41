import { createServerDatabase, readMigrations, type ServerDatabase } from '@streetwise/db';
import { testLogger } from './fixtures.js';

/** The machine's PostgreSQL (trust auth, no TimescaleDB). */
export const PLAIN_POSTGRES = 'postgres://postgres@127.0.0.1:5432';

/**
 * The migrations that hold what ingest writes (devices, events, telemetry, health, dead letters,
 * incidents, credentials, the devices' live state), applied to a plain server with their TimescaleDB statements left out: the
 * extension and create_hypertable. The continuous aggregates and policies (0002, 0003, 0101–0104) are
 * TimescaleDB throughout and nothing in ingest reads them.
 */
const INGEST_MIGRATIONS = /^(0001|0004|0005|0006|0007|0008|0009|0010|0011|0014)_/;
const TIMESCALE_ONLY = /create extension if not exists timescaledb|create_hypertable/i;

export interface PlainPostgresDatabase {
  /** postgres://…/<name>, for child processes (with DB_REQUIRE_TIMESCALE=false and INGEST_MIGRATE=false). */
  url: string;
  name: string;
  db: ServerDatabase;
  drop(): Promise<void>;
}

/** Ingest's tables on a plain PostgreSQL server (see INGEST_MIGRATIONS); the live console reads the same ones. */
export async function createIngestTables(db: ServerDatabase): Promise<void> {
  for (const migration of readMigrations().filter((m) => INGEST_MIGRATIONS.test(m.name))) {
    await db.query(migration.sql.split('\n').filter((line) => !TIMESCALE_ONLY.test(line)).join('\n'));
  }
}

/** A throw-away database with a unique name on the machine's PostgreSQL, holding ingest's tables. */
export async function createPlainPostgresDatabase(tag: string): Promise<PlainPostgresDatabase> {
  const name = `sw_${tag.toLowerCase().replace(/[^a-z0-9_]/g, '_')}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const logger = testLogger();
  const admin = await createServerDatabase({ connectionString: `${PLAIN_POSTGRES}/postgres`, requireTimescale: false, max: 1, logger });
  await admin.query(`create database ${name}`);
  const url = `${PLAIN_POSTGRES}/${name}`;
  const db = await createServerDatabase({ connectionString: url, requireTimescale: false, max: 4, logger });
  await createIngestTables(db);
  return {
    url,
    name,
    db,
    async drop() {
      await db.close();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.close();
    },
  };
}
