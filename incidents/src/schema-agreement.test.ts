import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedDatabase, migrate, MIGRATIONS_DIR, type Database } from '@streetwise/db';
import { ACTOR_KINDS, INCIDENT_STATUSES, LOG_ACTIONS, OUTCOMES, UNIT_KINDS, UNIT_STATUSES } from './vocabulary.js';
import { UNIT_ID_PATTERN } from './units.js';

/** The quoted values of a CHECK (col IN (…)) as PostgreSQL prints it back: CHECK ((col = ANY (ARRAY['a'::text, …]))). */
function checkValues(definition: string): string[] {
  return [...definition.matchAll(/'((?:[^']|'')*)'::text/g)].map((m) => m[1]!.replace(/''/g, "'"));
}

/** The one single-column CHECK on table.column (a CHECK across columns, such as outcome-only-when-resolved, is not a list of values). */
async function checkConstraint(db: Database, table: string, column: string): Promise<string[]> {
  const { rows } = await db.query<{ def: string }>(
    `select pg_get_constraintdef(c.oid) as def
     from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any(c.conkey)
     where c.conrelid = $1::regclass and c.contype = 'c' and a.attname = $2 and cardinality(c.conkey) = 1`,
    [table, column],
  );
  expect(rows, `one CHECK on ${table}.${column}`).toHaveLength(1);
  return checkValues(rows[0]!.def);
}

const sorted = (values: readonly string[]): string[] => [...values].sort();

describe('the migrations and the incidents module agree', () => {
  let db: Database;
  const dir = mkdtempSync(join(tmpdir(), 'sw-incidents-migrations-'));
  const copy = (test: (name: string) => boolean): void => {
    for (const name of readdirSync(MIGRATIONS_DIR).filter(test)) copyFileSync(join(MIGRATIONS_DIR, name), join(dir, name));
  };

  beforeAll(async () => {
    db = await createEmbeddedDatabase({ dataDir: 'memory://' });
    // A data folder from before 0005, with log rows from ingest's rules and from an operator called "ingest"...
    copy((name) => name < '0005');
    await migrate(db, { dir });
    await db.query(`insert into incidents (id, type, severity, device_id, lat, lon, first_event_id, last_event_id, opened_at, last_event_at)
                    values ('0190a000-0000-7000-8000-000000000001', 'collision', 'critical', 'cam-1', 22.3, 114.2, gen_random_uuid(), gen_random_uuid(), now(), now())`);
    await db.query(`insert into incident_log (incident_id, action, actor) values
                    ('0190a000-0000-7000-8000-000000000001', 'opened', 'ingest'), ('0190a000-0000-7000-8000-000000000001', 'event', 'ingest'),
                    ('0190a000-0000-7000-8000-000000000001', 'acknowledged', 'ingest'), ('0190a000-0000-7000-8000-000000000001', 'resolved', 'op-7')`);
    // ...then every migration.
    copy(() => true);
    await migrate(db, { dir });
  }, 60_000);
  afterAll(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the values of a CHECK back from its definition', () => {
    expect(checkValues("CHECK ((status = ANY (ARRAY['open'::text, 'it''s'::text])))")).toEqual(['open', "it's"]);
  });

  it('incidents.status allows exactly INCIDENT_STATUSES, and starts open', async () => {
    expect(sorted(await checkConstraint(db, 'incidents', 'status'))).toEqual(sorted(INCIDENT_STATUSES));
    const { rows } = await db.query<{ d: string }>(`select column_default as d from information_schema.columns where table_name = 'incidents' and column_name = 'status'`);
    expect(rows[0]!.d).toBe("'open'::text");
  });

  it('incident_log.action allows exactly LOG_ACTIONS', async () => {
    expect(sorted(await checkConstraint(db, 'incident_log', 'action'))).toEqual(sorted(LOG_ACTIONS));
  });

  it('incident_log.actor_kind allows exactly ACTOR_KINDS, and 0005 marked only the rules\' own rows as system', async () => {
    expect(sorted(await checkConstraint(db, 'incident_log', 'actor_kind'))).toEqual(sorted(ACTOR_KINDS));
    const { rows } = await db.query<{ action: string; actor_kind: string }>('select action, actor_kind from incident_log order by id');
    expect(rows.map((r) => `${r.action}:${r.actor_kind}`)).toEqual(['opened:system', 'event:system', 'acknowledged:user', 'resolved:user']);
    const incident = await db.query<{ version: number }>('select version from incidents');
    expect(incident.rows).toEqual([{ version: 1 }]);
  });

  it('incidents.outcome allows exactly OUTCOMES; units.kind and units.status exactly UNIT_KINDS and UNIT_STATUSES', async () => {
    expect(sorted(await checkConstraint(db, 'incidents', 'outcome'))).toEqual(sorted(OUTCOMES));
    expect(sorted(await checkConstraint(db, 'units', 'kind'))).toEqual(sorted(UNIT_KINDS));
    expect(sorted(await checkConstraint(db, 'units', 'status'))).toEqual(sorted(UNIT_STATUSES));
  });

  it('units.id takes exactly what UNIT_ID_PATTERN takes', async () => {
    const { rows } = await db.query<{ def: string }>(`select pg_get_constraintdef(c.oid) as def from pg_constraint c where c.conrelid = 'units'::regclass and c.contype = 'c' and pg_get_constraintdef(c.oid) like '%~%'`);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.def).toContain(`'${UNIT_ID_PATTERN}'`);
  });
});
