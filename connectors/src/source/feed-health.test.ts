import { describe, expect, it } from 'vitest';
import { isStreetwiseError } from '@streetwise/errors';
import type { FeedPeriod, SiteReading } from '../feed.js';
import { FeedHealth } from './feed-health.js';

const T0 = Date.UTC(2026, 0, 1, 0, 0, 0);
const period = (endS: number, ...sites: string[]): FeedPeriod<SiteReading> => ({
  label: `t+${endS}`,
  startMs: T0 + (endS - 30) * 1000,
  endMs: T0 + endS * 1000,
  complete: true,
  readings: sites.map((siteId) => ({ siteId })),
});

describe('FeedHealth', () => {
  it('never read: no age, no sites, feed state never_read', () => {
    expect(new FeedHealth().report(T0)).toEqual({
      feed: 'never_read', feedAgeS: undefined, latestPeriodEndMs: undefined, consecutiveFailures: 0, lastError: undefined,
      sites: { live: 0, stale: [], offline: [] }, warnings: [],
    });
  });

  it('a detector that stops appearing becomes stale after 90 s of feed time, offline after 600 s', () => {
    const health = new FeedHealth();
    health.observe([period(30, 'A', 'B', 'C')]);
    expect(health.transitions()).toEqual([
      { siteId: 'A', from: 'offline', to: 'live' },
      { siteId: 'B', from: 'offline', to: 'live' },
      { siteId: 'C', from: 'offline', to: 'live' },
    ]);
    // B stops at t+30, C at t+60; A goes on. At t+120 B has been silent 90 s (stale), C 60 s (live).
    health.observe([period(60, 'A', 'C'), period(90, 'A'), period(120, 'A')]);
    expect(health.transitions()).toEqual([{ siteId: 'B', from: 'live', to: 'stale' }]);
    expect(health.report(T0 + 125_000)).toMatchObject({ feed: 'ok', feedAgeS: 5, sites: { live: 2, stale: ['B'], offline: [] }, warnings: ['1 detectors stale'] });
    // At t+630 B has been silent 600 s (offline) and C 570 s (stale).
    health.observe([period(630, 'A')]);
    expect(health.transitions()).toEqual([
      { siteId: 'B', from: 'stale', to: 'offline' },
      { siteId: 'C', from: 'live', to: 'stale' },
    ]);
    expect(health.report(T0 + 630_000).sites).toEqual({ live: 1, stale: ['C'], offline: ['B'] });
    // B comes back.
    health.observe([period(660, 'A', 'B')]);
    expect(health.transitions()).toEqual([
      { siteId: 'B', from: 'offline', to: 'live' },
      { siteId: 'C', from: 'stale', to: 'offline' },
    ]);
  });

  it('a stopped feed is one warning, not 750 offline detectors', () => {
    const health = new FeedHealth();
    health.observe([period(30, 'A', 'B')]);
    // The wall clock runs on 20 minutes with no new period: feed age 1200 − 30 = 1170 s.
    const report = health.report(T0 + 1_200_000);
    expect(report).toMatchObject({ feed: 'stale', feedAgeS: 1170, sites: { live: 2, stale: [], offline: [] } });
    expect(report.warnings).toEqual(['feed stale: newest period ended 1170 s ago']);
  });

  it('counts failures in a row and clears them on success', () => {
    const health = new FeedHealth();
    health.recordFailure(new Error('ECONNREFUSED'));
    health.recordFailure(new Error('HTTP 503'));
    expect(health.report(T0)).toMatchObject({ consecutiveFailures: 2, lastError: 'HTTP 503', warnings: ['2 failed fetches in a row: HTTP 503'] });
    health.recordSuccess();
    expect(health.report(T0).consecutiveFailures).toBe(0);
  });

  it('refuses thresholds that contradict each other', () => {
    let caught: unknown;
    try {
      new FeedHealth({ siteStaleAfterMs: 600_000, siteOfflineAfterMs: 90_000 });
    } catch (err) {
      caught = err;
    }
    expect(isStreetwiseError(caught, 'SW_CONNECTOR_OPTIONS_INVALID')).toBe(true);
  });
});
