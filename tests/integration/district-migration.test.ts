/**
 * db/migrations/0006_district_codes.sql on a database that already holds district names: migrated up to
 * the files before it (as a deployment upgraded from the previous release is), seeded with names, then
 * migrated to the end. Every spelling @streetwise/districts knows must become the code findDistrict gives.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedDatabase, migrate, MIGRATIONS_DIR, readMigrations, type Database } from '@streetwise/db';
import { DISTRICT_TABLE, districtSpellings, findDistrict } from '@streetwise/districts';

const MIGRATION = '0006_district_codes.sql';

/** Every spelling of every district, plus the variants people type. */
const SENT = [
  ...DISTRICT_TABLE.flatMap((d) => districtSpellings(d.code)),
  ...DISTRICT_TABLE.flatMap((d) => [d.code, d.code.toLowerCase(), d.nameEn.toUpperCase(), `  ${d.nameEn.toLowerCase().replace(/ /g, '   ')} `, `${d.nameEn} District`]),
  'Central / Western', 'central AND western', '中西區 ', '灣仔區', 'Ｓｈａ Ｔｉｎ',
];

describe('migration 0006: district names become code letters', () => {
  let db: Database;
  let beforeDir: string;

  beforeAll(async () => {
    beforeDir = mkdtempSync(join(tmpdir(), 'sw-migrations-'));
    for (const file of readMigrations()) if (file.name !== MIGRATION) cpSync(join(MIGRATIONS_DIR, file.name), join(beforeDir, file.name));
    db = await createEmbeddedDatabase({ dataDir: 'memory://' });
    const first = await migrate(db, { dir: beforeDir });
    expect(first.applied).not.toContain(MIGRATION);
    const ids = SENT.map((_, i) => `dev-${i}`);
    await db.query(`INSERT INTO devices (id, kind, district) SELECT unnest($1::text[]), 'camera', unnest($2::text[])`, [ids, SENT]);
    await db.query(`INSERT INTO devices (id, kind, district, lat, lon) VALUES ('dev-gotham', 'camera', 'Gotham', 22.3830, 114.1880), ('dev-none', 'camera', NULL, NULL, NULL), ('dev-shatin', 'camera', 'Sha Tin', 22.3830, 114.1880)`);
    await db.query(
      `INSERT INTO incidents (id, type, severity, device_id, district, lat, lon, first_event_id, last_event_id, opened_at, last_event_at) VALUES
       ('00000000-0000-7000-8000-000000000001', 'collision', 'high', 'dev-0', 'Central and Western', 22.28, 114.16, gen_random_uuid(), gen_random_uuid(), now(), now()),
       ('00000000-0000-7000-8000-000000000002', 'collision', 'high', 'dev-shatin', 'Atlantis', 22.38, 114.19, gen_random_uuid(), gen_random_uuid(), now(), now()),
       ('00000000-0000-7000-8000-000000000003', 'collision', 'high', 'gone', 'Atlantis', 22.38, 114.19, gen_random_uuid(), gen_random_uuid(), now(), now()),
       ('00000000-0000-7000-8000-000000000004', 'collision', 'high', 'dev-none', NULL, 22.38, 114.19, gen_random_uuid(), gen_random_uuid(), now(), now())`,
    );
    const second = await migrate(db);
    expect(second.applied).toEqual([MIGRATION]);
  });
  afterAll(async () => {
    await db?.close();
    rmSync(beforeDir, { recursive: true, force: true });
  });

  it('turns every spelling into the code findDistrict gives for it', async () => {
    const { rows } = await db.query<{ id: string; district: string | null }>(`SELECT id, district FROM devices WHERE id ~ '^dev-[0-9]+$'`);
    const stored = new Map(rows.map((r) => [r.id, r.district]));
    expect(stored.size).toBe(SENT.length);
    SENT.forEach((sent, i) => {
      const expected = findDistrict(sent)?.code;
      expect(expected, `findDistrict(${JSON.stringify(sent)})`).toBeDefined();
      expect(stored.get(`dev-${i}`), JSON.stringify(sent)).toBe(expected);
    });
    const { rows: byCode } = await db.query<{ district: string; n: string }>(`SELECT district, count(*)::text AS n FROM devices WHERE id ~ '^dev-[0-9]+$' GROUP BY 1 ORDER BY 1`);
    expect(byCode.map((r) => r.district).join('')).toBe('ABCDEFGHJKLMNPQRST');
  });

  it('an unknown name becomes NULL and is kept in district_names_unmatched; NULL stays NULL', async () => {
    const { rows } = await db.query<{ id: string; district: string | null }>(`SELECT id, district FROM devices WHERE id IN ('dev-gotham', 'dev-none', 'dev-shatin') ORDER BY id`);
    expect(rows).toEqual([{ id: 'dev-gotham', district: null }, { id: 'dev-none', district: null }, { id: 'dev-shatin', district: 'R' }]);
    const unmatched = await db.query<{ source: string; row_id: string; district: string }>('SELECT source, row_id, district FROM district_names_unmatched ORDER BY source, row_id');
    expect(unmatched.rows).toEqual([
      { source: 'devices', row_id: 'dev-gotham', district: 'Gotham' },
      { source: 'incidents', row_id: '00000000-0000-7000-8000-000000000002', district: 'Atlantis' },
      { source: 'incidents', row_id: '00000000-0000-7000-8000-000000000003', district: 'Atlantis' },
    ]);
  });

  it('converts incidents: a name to its code, an unknown name to its device\'s district (NULL when the device is gone)', async () => {
    const { rows } = await db.query<{ id: string; district: string | null }>('SELECT id::text, district FROM incidents ORDER BY id');
    expect(rows.map((r) => r.district)).toEqual(['A', 'R', null, null]);
  });

  it('keeps names out from now on', async () => {
    await expect(db.query(`UPDATE devices SET district = 'Wan Chai' WHERE id = 'dev-none'`)).rejects.toThrow(/devices_district_code/);
    await expect(db.query(`UPDATE incidents SET district = 'central & western' WHERE district = 'A'`)).rejects.toThrow(/incidents_district_code/);
    await db.query(`UPDATE devices SET district = 'B' WHERE id = 'dev-none'`);
  });
});
