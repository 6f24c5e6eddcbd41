import { describe, expect, it } from 'vitest';
import type { FeedPeriod, SiteReading } from '../feed.js';
import { PeriodTracker } from './period-tracker.js';

const period = (endMs: number, complete = true): FeedPeriod<SiteReading> => ({ label: String(endMs), startMs: endMs - 30_000, endMs, complete, readings: [] });

describe('PeriodTracker', () => {
  it('passes each period on once; a cut-short period again when a whole copy arrives, then never', () => {
    const tracker = new PeriodTracker();
    expect(tracker.fresh([period(30_000), period(60_000, false)]).map((p) => p.endMs)).toEqual([30_000, 60_000]);
    expect(tracker.fresh([period(60_000), period(90_000)]).map((p) => p.endMs)).toEqual([60_000, 90_000]);
    expect(tracker.fresh([period(90_000), period(120_000)]).map((p) => p.endMs)).toEqual([120_000]);
    expect(tracker.fresh([period(60_000, false), period(60_000)])).toEqual([]);
  });

  it('forgets periods older than keepMs before the newest, so its memory stays bounded', () => {
    const tracker = new PeriodTracker(60_000);
    tracker.fresh([period(30_000), period(60_000), period(90_000), period(120_000)]);
    // 30 000 is more than 60 s before 120 000: forgotten, so a late copy is passed on again (ids still dedupe it).
    expect(tracker.fresh([period(30_000), period(60_000)]).map((p) => p.endMs)).toEqual([30_000]);
  });
});
