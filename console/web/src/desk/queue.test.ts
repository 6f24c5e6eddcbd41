import { describe, expect, it } from 'vitest';
import { DEFAULT_QUEUE_FILTER, filterChoices, queueView, type QueueFilter, type QueueIncident } from './queue.js';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const hoursAgo = (h: number): string => new Date(NOW - h * 3_600_000).toISOString();

function incident(id: string, over: Partial<QueueIncident>): QueueIncident {
  const openedAt = over.openedAt ?? hoursAgo(1);
  return { id, type: 'intrusion', severity: 'medium', status: 'open', district: 'A', openedAt, lastEventAt: openedAt, updatedAt: openedAt, ...over };
}

// Eight incidents whose order and membership under each filter were worked out by hand.
const incidents: QueueIncident[] = [
  incident('a', { severity: 'critical', openedAt: hoursAgo(0.5) }),
  incident('b', { severity: 'critical', openedAt: hoursAgo(2), status: 'acknowledged', district: 'B' }),
  incident('c', { severity: 'low', openedAt: hoursAgo(0.2), type: 'wrong_way' }),
  incident('d', { severity: 'high', openedAt: hoursAgo(7), status: 'dispatched', district: null }),
  incident('e', { severity: 'info', openedAt: hoursAgo(30), type: 'stopped_vehicle' }),
  incident('f', { severity: 'critical', openedAt: hoursAgo(3), status: 'resolved', updatedAt: hoursAgo(0.1) }),
  incident('g', { severity: 'medium', openedAt: hoursAgo(23), district: 'B', updatedAt: hoursAgo(0.3) }),
  incident('h', { severity: 'high', openedAt: hoursAgo(0.5), type: 'wrong_way', district: 'C' }),
];
const ids = (filter: Partial<QueueFilter>, sort: Parameters<typeof queueView>[2] = 'severity') =>
  queueView(incidents, { ...DEFAULT_QUEUE_FILTER, ...filter }, sort, NOW).map((i) => i.id);

describe('the desk queue', () => {
  it('shows the unresolved ones by default, most severe first, then the longest waiting', () => {
    expect(ids({})).toEqual(['b', 'a', 'd', 'h', 'g', 'c', 'e']);
  });

  it('filters by status', () => {
    expect(ids({ status: 'all' })).toEqual(['b', 'a', 'd', 'h', 'g', 'c', 'e', 'f']);
    expect(ids({ status: 'resolved' })).toEqual(['f']);
    expect(ids({ status: 'open' })).toEqual(['a', 'h', 'g', 'c', 'e']);
  });

  it('filters by the lowest severity shown', () => {
    expect(ids({ severity: 'high' })).toEqual(['b', 'a', 'd', 'h']);
    // resolved ones sink below the unresolved whatever their severity
    expect(ids({ severity: 'critical', status: 'all' })).toEqual(['b', 'a', 'f']);
  });

  it('filters by type and district', () => {
    expect(ids({ type: 'wrong_way' })).toEqual(['h', 'c']);
    expect(ids({ district: 'B' })).toEqual(['b', 'g']);
    expect(ids({ district: 'C', type: 'intrusion' })).toEqual([]);
  });

  it('keeps the last 1 h, 6 h or 24 h by opening time', () => {
    expect(ids({ window: '1h' })).toEqual(['a', 'h', 'c']);
    expect(ids({ window: '6h' })).toEqual(['b', 'a', 'h', 'c']);
    expect(ids({ window: '24h' })).toEqual(['b', 'a', 'd', 'h', 'g', 'c']);
    // exactly on the boundary is still inside
    expect(queueView([incident('x', { openedAt: hoursAgo(1) })], { ...DEFAULT_QUEUE_FILTER, window: '1h' }, 'newest', NOW)).toHaveLength(1);
  });

  it('sorts by newest, oldest and last activity, ties by id', () => {
    expect(ids({}, 'newest')).toEqual(['c', 'a', 'h', 'b', 'd', 'g', 'e']);
    expect(ids({}, 'oldest')).toEqual(['e', 'g', 'd', 'b', 'a', 'h', 'c']);
    expect(ids({ status: 'all' }, 'activity')).toEqual(['f', 'c', 'g', 'a', 'h', 'b', 'd', 'e']);
  });

  it('lists the types and districts present for the menus, and keeps a chosen one', () => {
    expect(filterChoices(incidents, DEFAULT_QUEUE_FILTER)).toEqual({ types: ['intrusion', 'stopped_vehicle', 'wrong_way'], districts: ['A', 'B', 'C'] });
    expect(filterChoices([], { ...DEFAULT_QUEUE_FILTER, type: 'fire', district: 'T' })).toEqual({ types: ['fire'], districts: ['T'] });
  });
});
