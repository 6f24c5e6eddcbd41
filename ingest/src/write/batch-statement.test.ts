import { describe, expect, it } from 'vitest';
import { createEmbeddedDatabase } from '@streetwise/db';
import { makeMessage, type EventMessage, type TelemetryMessage } from '@streetwise/protocol';
import { buildBatchStatement, readBatchResult } from './batch-statement.js';
import type { TableWrite, Timed } from './kinds/kind.js';
import { arrayLiteral, columnLiteral, unnestRows } from './unnest-rows.js';

const NOW = Date.parse('2025-03-01T08:00:00Z');
const event = (): Timed<EventMessage> => ({ message: makeMessage('event', { deviceId: 'cam-1', type: 'detection', severity: 'info', location: { lat: 22.3, lon: 114.2 } }, NOW), receivedAtMs: NOW });
const telemetry = (): Timed<TelemetryMessage> => ({ message: makeMessage('telemetry', { deviceId: 'cam-1', intervalS: 60 }, NOW), receivedAtMs: NOW });

describe('buildBatchStatement', () => {
  it('holds only the parts a batch needs, with one parameter per column array', () => {
    const s = buildBatchStatement({ rows: { event: [event()], telemetry: [] }, notify: false });
    expect(s.params).toHaveLength(19);
    expect(s.sql).toContain('ins_event as (');
    expect(s.sql).toContain('insert into events (time, id, device_id,');
    expect(s.sql).toContain('from unnest($1::timestamptz[], $2::uuid[], $3::text[],');
    expect(s.sql).not.toMatch(/ins_telemetry as|ins_health as|births as|offline as|dead as|touched as|pg_notify|pg_advisory_xact_lock/);
  });

  it('adds NOTIFY, the incident queue, last wills and last_seen_at when asked', () => {
    const s = buildBatchStatement({
      rows: { event: [event()] },
      eventSummaries: { ids: ['0190a000-0000-7000-8000-000000000001'], json: ['{"id":"…"}'], chunks: [0] },
      offline: ['cam-1'],
      touch: ['cam-2'],
      queueSafety: [{ id: '0190a000-0000-7000-8000-000000000001', deviceId: 'cam-1', type: 'intrusion', severity: 'high', ts: '2025-03-01T08:00:00.000Z', lat: 22.3, lon: 114.2, district: 'A' }],
      notify: true,
    });
    // Only safety events the statement really inserted are queued; the rules run apart (incident-step.ts), under their lock.
    expect(s.sql).toMatch(/queued as \(\s*insert into incident_queue[\s\S]*where u\.event_id in \(select id from ins_event\)/);
    expect(s.sql).toContain("select 'q', (select count(*) from queued)::text");
    expect(s.sql).not.toContain('pg_advisory_xact_lock');
    expect(s.sql).toContain("pg_notify('sw_events'");
    expect(s.sql).toContain("pg_notify('sw_devices'");
    expect(s.sql).toContain('offline as (');
    expect(s.sql).toContain('touched as (');
    expect(s.params).toContain('[{"id":"…"}]');
  });

  it('returns the stored ids of each table as one row: "*" when all rows given were new, else the ids', () => {
    const s = buildBatchStatement({ rows: { event: [event(), event()], telemetry: [telemetry()] }, notify: false });
    expect(s.sql).toContain("select 'event', case when (select count(*) from ins_event) = 2 then '*' else (select string_agg(id::text, ',') from ins_event) end");
    expect(s.sql).toContain("select 'telemetry', case when (select count(*) from ins_telemetry) = 1 then '*'");
  });

  it('reads stored ids and device changes back', () => {
    expect(readBatchResult([
      { k: 'event', id: 'a,b', state: null, registered: null },
      { k: 'telemetry', id: '*', state: null, registered: null },
      { k: 'health', id: null, state: null, registered: null },
      { k: 'b', id: 'cam-1', state: 'online', registered: true },
      { k: 'o', id: 'cam-2', state: 'offline', registered: false },
      { k: 'i', id: '{"v":1,"action":"opened","incident":{"id":"i-1","type":"device_offline"}}', state: null, registered: null },
      { k: 'q', id: '2', state: null, registered: null },
      { k: 'n', id: '3', state: null, registered: null },
    ], { event: ['a', 'b', 'x'], telemetry: ['c', 'd'], health: ['h'] })).toEqual({
      stored: new Set(['a', 'b', 'c', 'd']),
      devices: [{ id: 'cam-1', state: 'online', registered: true }, { id: 'cam-2', state: 'offline', registered: false }],
      incidents: [{ v: 1, action: 'opened', incident: { id: 'i-1', type: 'device_offline' } }],
      queued: 2,
    });
  });
});

describe('arrayLiteral', () => {
  const tricky = ['plain', 'quote " inside', 'back\\slash', '\\"both"\\', 'NULL', '', '{braces,comma}', ' spaced ', 'line\nbreak', '中文 ✓', null];

  it('writes PostgreSQL array literals, escaping only " and \\', () => {
    expect(arrayLiteral(['a', 'b"c', 'd\\e', null, 1.5, -2, true, false])).toBe('{"a","b\\"c","d\\\\e",NULL,1.5,-2,t,f}');
    expect(arrayLiteral([])).toBe('{}');
  });

  it('makes the same literal straight from rows', () => {
    const rows = [{ v: 'a' }, { v: 'b"c' }, { v: null }, { v: 2 }];
    expect(columnLiteral(rows, (r) => r.v)).toBe(arrayLiteral(rows.map((r) => r.v)));
    expect(columnLiteral([], () => 'x')).toBe('{}');
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
      // A number a message may carry (confidence 1e-50 is within 0–1) that is 0 as a real: PostgreSQL refuses the literal.
      const reals: TableWrite<{ v: number | null }> = { table: 't', columns: [['r', 'real', (row) => row.v]] };
      const params: unknown[] = [];
      const unnested = unnestRows(reals, [{ v: 1e-50 }, { v: -5e-324 }, { v: 1e-40 }, { v: 0.25 }, { v: null }], (value, cast) => `$${params.push(value)}::${cast}`);
      const real = await db.query<{ r: number | null }>(`select ${unnested.values} from ${unnested.from}`, params);
      expect(real.rows.map((row) => row.r)).toEqual([0, 0, 1e-40, 0.25, null]);
    } finally {
      await db.close();
    }
  }, 60_000); // starting the embedded database takes 10–20 s while other suites start theirs
});
