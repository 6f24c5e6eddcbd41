import { describe, expect, it } from 'vitest';
import { createEmbeddedDatabase } from '@streetwise/db';
import { arrayLiteral, buildBatchStatement, readBatchResult } from './batch-statement.js';

describe('buildBatchStatement', () => {
  it('holds only the parts a batch needs, with one parameter per column array', () => {
    const events = Array.from({ length: 19 }, () => ['x']);
    const s = buildBatchStatement({ events, notify: false });
    expect(s.params).toHaveLength(19);
    expect(s.sql).toContain('ins_e as (');
    expect(s.sql).not.toMatch(/ins_t as|ins_h as|births as|offline as|dead as|touched as|pg_notify|pg_advisory_xact_lock/);
  });

  it('adds NOTIFY, the incident lock, last wills and last_seen_at when asked', () => {
    const s = buildBatchStatement({
      events: Array.from({ length: 19 }, () => ['x']),
      eventSummaries: { ids: ['0190a000-0000-7000-8000-000000000001'], json: ['{"id":"…"}'], chunks: [0] },
      offline: ['cam-1'],
      touch: ['cam-2'],
      lockIncidents: true,
      notify: true,
    });
    expect(s.sql).toMatch(/serialised as \(select pg_advisory_xact_lock/);
    expect(s.sql).toContain("pg_notify('sw_events'");
    expect(s.sql).toContain("pg_notify('sw_devices'");
    expect(s.sql).toContain('offline as (');
    expect(s.sql).toContain('touched as (');
    expect(s.params).toContain('[{"id":"…"}]');
  });

  it('returns the stored ids of each table as one row: "*" when all rows given were new, else the ids', () => {
    const s = buildBatchStatement({ events: Array.from({ length: 19 }, () => ['x', 'y']), telemetry: Array.from({ length: 21 }, () => ['x']), notify: false });
    expect(s.sql).toContain("select 'e', case when (select count(*) from ins_e) = 2 then '*' else (select string_agg(id::text, ',') from ins_e) end");
    expect(s.sql).toContain("select 't', case when (select count(*) from ins_t) = 1 then '*'");
  });

  it('reads stored ids and device changes back', () => {
    expect(readBatchResult([
      { k: 'e', id: 'a,b', state: null, registered: null },
      { k: 't', id: '*', state: null, registered: null },
      { k: 'h', id: null, state: null, registered: null },
      { k: 'b', id: 'cam-1', state: 'online', registered: true },
      { k: 'o', id: 'cam-2', state: 'offline', registered: false },
      { k: 'n', id: '3', state: null, registered: null },
    ], { e: ['a', 'b', 'x'], t: ['c', 'd'], h: ['h'] })).toEqual({ stored: new Set(['a', 'b', 'c', 'd']), devices: [{ id: 'cam-1', state: 'online', registered: true }, { id: 'cam-2', state: 'offline', registered: false }] });
  });
});

describe('arrayLiteral', () => {
  const tricky = ['plain', 'quote " inside', 'back\\slash', '\\"both"\\', 'NULL', '', '{braces,comma}', ' spaced ', 'line\nbreak', '中文 ✓', null];

  it('writes PostgreSQL array literals, escaping only " and \\', () => {
    expect(arrayLiteral(['a', 'b"c', 'd\\e', null, 1.5, -2, true, false])).toBe('{"a","b\\"c","d\\\\e",NULL,1.5,-2,t,f}');
    expect(arrayLiteral([])).toBe('{}');
  });

  it('round-trips every tricky string through the real database parser unchanged', async () => {
    const db = await createEmbeddedDatabase({ dataDir: 'memory://' });
    try {
      const text = await db.query<{ v: string | null }>('select unnest($1::text[]) as v', [arrayLiteral(tricky)]);
      expect(text.rows.map((r) => r.v)).toEqual(tricky);
      const json = await db.query<{ v: unknown }>('select unnest($1::jsonb[]) as v', [arrayLiteral([JSON.stringify({ a: 'x"y\\z', b: [1, 2] }), null])]);
      expect(json.rows.map((r) => r.v)).toEqual([{ a: 'x"y\\z', b: [1, 2] }, null]);
      const numbers = await db.query<{ i: number; r: number; b: boolean }>('select * from unnest($1::int[], $2::float8[], $3::bool[]) as u(i, r, b)', [arrayLiteral([1, -7]), arrayLiteral([0.1, 1e-7]), arrayLiteral([true, false])]);
      expect(numbers.rows).toEqual([{ i: 1, r: 0.1, b: true }, { i: -7, r: 1e-7, b: false }]);
    } finally {
      await db.close();
    }
  });
});
