import { describe, expect, it } from 'vitest';
import type { IncidentView } from '../api/types.js';
import { advanceCursor, compareCursor, mergeIncidents } from './incident-merge.js';

const incident = (id: string, version: number, updatedAt: string): IncidentView => ({
  id, version, updatedAt, type: 'collision', severity: 'high', status: 'open', deviceId: 'cam-1', district: 'E', lat: 22.3, lon: 114.17,
  eventCount: 1, openedAt: updatedAt, lastEventAt: updatedAt, acknowledgedAt: null, dispatchedAt: null, resolvedAt: null,
});

describe('one copy per incident, the highest version wins', () => {
  it('adds new incidents and replaces only with a higher version', () => {
    const first = mergeIncidents(new Map(), [incident('a', 1, '2026-01-01T00:00:00.000Z'), incident('b', 3, '2026-01-01T00:00:01.000Z')]);
    expect([...first.map.keys()]).toEqual(['a', 'b']);
    const replayed = mergeIncidents(first.map, [incident('a', 1, '2026-01-01T00:00:00.000Z'), incident('b', 2, '2026-01-01T00:00:00.500Z')]);
    expect(replayed.map).toBe(first.map);
    expect(replayed.changed).toEqual([]);
    const newer = mergeIncidents(first.map, [incident('a', 2, '2026-01-01T00:00:05.000Z')]);
    expect(newer.map.get('a')?.version).toBe(2);
    expect(newer.changed.map((i) => i.id)).toEqual(['a']);
    expect(first.map.get('a')?.version).toBe(1);
  });

  it('keeps the highest of duplicates in one batch, in any order', () => {
    const { map } = mergeIncidents(new Map(), [incident('a', 4, '2026-01-01T00:00:04.000Z'), incident('a', 2, '2026-01-01T00:00:02.000Z')]);
    expect(map.get('a')?.version).toBe(4);
  });
});

describe('the catch-up cursor', () => {
  it('orders by updatedAt, then id', () => {
    expect(compareCursor({ after: '2026-01-01T00:00:01.000Z', afterId: 'a' }, { after: '2026-01-01T00:00:00.000Z', afterId: 'z' })).toBeGreaterThan(0);
    expect(compareCursor({ after: '2026-01-01T00:00:00.000Z', afterId: 'b' }, { after: '2026-01-01T00:00:00.000Z', afterId: 'a' })).toBeGreaterThan(0);
    expect(compareCursor({ after: '2026-01-01T00:00:00.000Z', afterId: 'a' }, { after: '2026-01-01T00:00:00.000Z', afterId: 'a' })).toBe(0);
  });

  it('moves only forward', () => {
    const cursor = advanceCursor(undefined, [incident('b', 1, '2026-01-01T00:00:02.000Z'), incident('a', 1, '2026-01-01T00:00:03.000Z')]);
    expect(cursor).toEqual({ after: '2026-01-01T00:00:03.000Z', afterId: 'a' });
    expect(advanceCursor(cursor, [incident('c', 1, '2026-01-01T00:00:01.000Z')])).toEqual(cursor);
  });
});
