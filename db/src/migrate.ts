/**
 * Versioned SQL migrations from db/migrations (NNNN_name.sql), applied in order, each in its own
 * transaction, recorded in schema_migrations with a checksum. Applying twice is a no-op; an applied file
 * that changed stops start-up (SW_DB_MIGRATION_CHANGED). A file whose first line is
 * `-- migrate:no-transaction` runs outside a transaction (for statements the engine refuses in one), one
 * statement at a time: a multi-statement query string is an implicit transaction, which refuses e.g.
 * CALL refresh_continuous_aggregate. There a statement ends with `;` at the end of a line.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Database } from './port.js';
import { assertTimescale } from './timescale-check.js';
import { SW_DB_MIGRATION_CHANGED, SW_DB_MIGRATION_FAILED, SW_DB_MIGRATIONS_MISSING } from './errors.js';

/** db/migrations, found from src/ (vitest) and dist/ (runtime) alike: both sit one level below db/. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));

const FILE_PATTERN = /^(\d{4})_[a-z0-9_]+\.sql$/;
const NO_TRANSACTION_MARKER = '-- migrate:no-transaction';
/** Serialises concurrent migrators (two processes starting against one server). */
const ADVISORY_LOCK_KEY = 727_514_001;

export interface MigrationFile {
  version: string;
  name: string;
  sql: string;
  checksum: string;
  inTransaction: boolean;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: string[];
}

export interface MigrateOptions {
  dir?: string;
  logger?: { info(obj: object, msg?: string): void };
}

export function checksumOf(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
}

export function readMigrations(dir: string = MIGRATIONS_DIR): MigrationFile[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (cause) {
    throw SW_DB_MIGRATIONS_MISSING([dir], { cause });
  }
  const files = names
    .filter((name) => FILE_PATTERN.test(name))
    .sort()
    .map((name) => {
      const sql = readFileSync(`${dir.replace(/\/$/, '')}/${name}`, 'utf8');
      return {
        version: name.slice(0, 4),
        name,
        sql,
        checksum: checksumOf(sql),
        inTransaction: !sql.trimStart().startsWith(NO_TRANSACTION_MARKER),
      };
    });
  if (files.length === 0) throw SW_DB_MIGRATIONS_MISSING([dir]);
  return files;
}

interface AppliedRow {
  version: string;
  name: string;
  checksum: string;
}

async function appliedMigrations(db: Database): Promise<Map<string, AppliedRow>> {
  const { rows } = await db.query<AppliedRow>('SELECT version, name, checksum FROM schema_migrations ORDER BY version');
  return new Map(rows.map((row) => [row.version, row]));
}

function verifyUnchanged(file: MigrationFile, row: AppliedRow): void {
  if (row.checksum !== file.checksum) {
    throw SW_DB_MIGRATION_CHANGED([file.name, row.checksum.slice(0, 12), file.checksum.slice(0, 12)]);
  }
}

export async function migrate(db: Database, options: MigrateOptions = {}): Promise<MigrateResult> {
  const files = readMigrations(options.dir);
  if (db.kind === 'server') await assertTimescale(db, 'DATABASE_URL');
  await db.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version     text PRIMARY KEY,
    name        text NOT NULL,
    checksum    text NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now(),
    duration_ms integer NOT NULL
  )`);
  const before = await appliedMigrations(db);
  for (const file of files) {
    const row = before.get(file.version);
    if (row) verifyUnchanged(file, row);
  }
  const result: MigrateResult = { applied: [], alreadyApplied: [...before.keys()] };
  for (const file of files) {
    if (before.has(file.version)) continue;
    const startedAt = performance.now();
    try {
      const applied = file.inTransaction ? await applyInTransaction(db, file, startedAt) : await applyWithout(db, file, startedAt);
      if (!applied) continue;
    } catch (cause) {
      if ((cause as { code?: string }).code?.startsWith('SW_DB_')) throw cause;
      throw SW_DB_MIGRATION_FAILED([file.name, (cause as Error).message], { cause });
    }
    result.applied.push(file.name);
    options.logger?.info({ migration: file.name, ms: Math.round(performance.now() - startedAt) }, 'migration applied');
  }
  return result;
}

const RECORD_SQL = 'INSERT INTO schema_migrations (version, name, checksum, duration_ms) VALUES ($1, $2, $3, $4)';

/** Returns false when another migrator applied the file meanwhile. */
async function applyInTransaction(db: Database, file: MigrationFile, startedAt: number): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(${ADVISORY_LOCK_KEY})`);
    const { rows } = await tx.query<AppliedRow>('SELECT version, name, checksum FROM schema_migrations WHERE version = $1', [file.version]);
    if (rows[0]) {
      verifyUnchanged(file, rows[0]);
      return false;
    }
    await tx.query(file.sql);
    await tx.query(RECORD_SQL, [file.version, file.name, file.checksum, Math.round(performance.now() - startedAt)]);
    return true;
  });
}

/** A no-transaction file's statements: split at `;` ending a line, comment-only pieces dropped. */
export function splitStatements(sql: string): string[] {
  return sql
    .split(/;[ \t]*(?:\r?\n|$)/)
    .map((piece) => piece.trim())
    .filter((piece) => piece.split('\n').some((line) => line.trim() !== '' && !line.trim().startsWith('--')));
}

async function applyWithout(db: Database, file: MigrationFile, startedAt: number): Promise<boolean> {
  for (const statement of splitStatements(file.sql)) await db.query(statement);
  await db.query(RECORD_SQL, [file.version, file.name, file.checksum, Math.round(performance.now() - startedAt)]);
  return true;
}
