import { describe, expect, it } from 'vitest';
import { previousRange, rangeOf } from './filters.js';
import { alignToBuckets, gapCount } from './series.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

describe('ranges', () => {
  // Saturday 5 December 2026, 11:10 UTC = 19:10 in Hong Kong.
  const now = Date.parse('2026-12-05T11:10:00Z');

  it('last 24 h and 7 days end at the next whole hour, in hourly buckets', () => {
    expect(rangeOf('24h', now)).toEqual({ fromMs: Date.parse('2026-12-04T12:00:00Z'), toMs: Date.parse('2026-12-05T12:00:00Z'), bucket: '1h' });
    expect(rangeOf('7d', now)).toEqual({ fromMs: Date.parse('2026-11-28T12:00:00Z'), toMs: Date.parse('2026-12-05T12:00:00Z'), bucket: '1h' });
  });

  it('last 30 days end at the next Hong Kong midnight, in daily buckets', () => {
    // The next Hong Kong midnight after 19:10 HKT on the 5th is 00:00 HKT on the 6th = 16:00 UTC on the 5th.
    const r = rangeOf('30d', now);
    expect(new Date(r.toMs).toISOString()).toBe('2026-12-05T16:00:00.000Z');
    expect(r.toMs - r.fromMs).toBe(30 * DAY_MS);
    expect(r.bucket).toBe('1d');
  });

  it('custom Hong Kong dates include both days; hourly up to 7 days, daily beyond; a bad range falls back to 24 h', () => {
    expect(rangeOf('custom', now, { from: '2026-12-01', to: '2026-12-02' })).toEqual({ fromMs: Date.parse('2026-11-30T16:00:00Z'), toMs: Date.parse('2026-12-02T16:00:00Z'), bucket: '1h' });
    expect(rangeOf('custom', now, { from: '2026-11-01', to: '2026-12-02' }).bucket).toBe('1d');
    expect(rangeOf('custom', now, { from: '2026-12-03', to: '2026-12-01' })).toEqual(rangeOf('24h', now));
    expect(rangeOf('custom', now, { from: '', to: '' })).toEqual(rangeOf('24h', now));
  });

  it('the previous period is the equally long range just before', () => {
    const r = rangeOf('24h', now);
    expect(previousRange(r)).toEqual({ fromMs: r.fromMs - DAY_MS, toMs: r.fromMs, bucket: '1h' });
  });
});

describe('aligning API rows onto buckets', () => {
  it('gives every bucket a slot, null where the API had no row or no value', () => {
    const from = Date.parse('2026-12-05T00:00:00Z');
    const rows = [
      { bucket: '2026-12-05T00:00:00.000Z', motorVehicles: 144, speedKmhAvg: 40 },
      { bucket: '2026-12-05T02:00:00.000Z', motorVehicles: 60, speedKmhAvg: null },
    ];
    const aligned = alignToBuckets(rows, from, from + 4 * HOUR_MS, HOUR_MS, ['motorVehicles', 'speedKmhAvg']);
    expect(aligned.xs).toEqual([0, 1, 2, 3].map((h) => (from + h * HOUR_MS) / 1000));
    expect(aligned.ys).toEqual({ motorVehicles: [144, null, 60, null], speedKmhAvg: [40, null, null, null] });
    expect(gapCount(aligned.ys['motorVehicles']!)).toBe(2);
  });
});
