/**
 * PRIVACY.md stays true to the code: every table and continuous aggregate of the migrated database has a
 * row in its retention table, and every test file it names exists.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@streetwise/db';
import { REPO_ROOT } from '../src/spawn-stack.js';
import { embeddedDb } from '../src/ingest/fixtures.js';

const PAGE = readFileSync(join(REPO_ROOT, 'PRIVACY.md'), 'utf8');

describe('PRIVACY.md', () => {
  let db: Database;
  beforeAll(async () => {
    db = await embeddedDb();
  }, 60_000);
  afterAll(async () => {
    await db?.close();
  });

  it('lists every table and aggregate of the database in its retention table', async () => {
    const { rows } = await db.query<{ name: string }>(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'
       UNION SELECT view_name FROM timescaledb_information.continuous_aggregates ORDER BY 1`,
    );
    const retention = PAGE.slice(PAGE.indexOf('**Retention.**'), PAGE.indexOf('## DPP3'));
    // A row starts with the table's name in backticks (several may share a row: `events_5m`, `events_1h`).
    const listed = new Set([...retention.matchAll(/^\| ([^|]+) \|/gm)].flatMap((m) => [...m[1]!.matchAll(/`([a-z0-9_]+)`/g)].map((n) => n[1]!)));
    expect(rows.length).toBeGreaterThan(20);
    expect(rows.map((r) => r.name).filter((name) => !listed.has(name))).toEqual([]);
  });

  it('names only test files that exist, and a test for every principle', () => {
    const named = [...new Set([...PAGE.matchAll(/`([a-z0-9/_.-]+\.test\.ts)`/g)].map((m) => m[1]!))];
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter((path) => !existsSync(join(REPO_ROOT, path)))).toEqual([]);
    for (const principle of ['DPP1', 'DPP2', 'DPP3', 'DPP4', 'DPP5', 'DPP6']) {
      const start = PAGE.indexOf(`## ${principle}`);
      const section = PAGE.slice(start, PAGE.indexOf('\n## ', start + 1));
      expect(section, principle).toMatch(/\.test\.ts`/);
    }
  });
});
