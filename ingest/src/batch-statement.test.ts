import { describe, expect, it } from 'vitest';
import { buildBatchStatement, readBatchResult } from './batch-statement.js';

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

  it('returns the stored ids of each table as one row, not one row per id', () => {
    const s = buildBatchStatement({ events: Array.from({ length: 19 }, () => ['x']), telemetry: Array.from({ length: 21 }, () => ['x']), notify: false });
    expect(s.sql).toContain("select 'e', string_agg(id::text, ',')");
    expect(s.sql).toContain("select 't', string_agg(id::text, ',')");
  });

  it('reads stored ids and device changes back', () => {
    expect(readBatchResult([
      { k: 'e', id: 'a,b', state: null, registered: null },
      { k: 't', id: 'c', state: null, registered: null },
      { k: 'h', id: null, state: null, registered: null },
      { k: 'b', id: 'cam-1', state: 'online', registered: true },
      { k: 'o', id: 'cam-2', state: 'offline', registered: false },
      { k: 'n', id: '3', state: null, registered: null },
    ])).toEqual({ stored: new Set(['a', 'b', 'c']), devices: [{ id: 'cam-1', state: 'online', registered: true }, { id: 'cam-2', state: 'offline', registered: false }] });
  });
});
