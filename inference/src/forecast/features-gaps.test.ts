import { describe, expect, it } from 'vitest';
import { HORIZON_STEPS, LOOKBACK, N_FEATURES, SeriesIndex, STEPS_PER_DAY, windowFeatures, type SeriesRow } from './features.js';

// Features are read by time, not by row position: a series with missing five-minute intervals gives the
// features of the same series with those intervals filled as documented (last observation carried forward
// in the lookback; only observed days in the history means).
const STEP = 300_000;
// Speed at slot i: (i % 288) + 1000 · day, flow i; every value is known by hand.
const row = (slot: number): SeriesRow => ({ timeMs: slot * STEP, speedKmh: (slot % STEPS_PER_DAY) + 1000 * Math.floor(slot / STEPS_PER_DAY), flow: slot });
const slots = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const scales = { flowScale: 1, speedScale: 1 };
const at = (rows: SeriesRow[], slot: number) => rows.findIndex((r) => r.timeMs === slot * STEP);

describe('forecaster features on a series with gaps', () => {
  const full = slots(0, 3 * STEPS_PER_DAY - 1).map(row);
  // Missing: slots 600–602 (inside the lookback of t = 605), day 0 at step 29 (a history slot of t = 605 + 0
  // → 605 − 576 = 29), and all of day 1 from step 20 to 40 (605 − 288 = 317 = day 1 step 29, and +15 min 320).
  const missing = new Set([600, 601, 602, 29, ...slots(288 + 20, 288 + 40)]);
  const gappy = full.filter((r) => !missing.has(r.timeMs / STEP));

  it('is exactly the row-position reading on contiguous rows', () => {
    const end = 2 * STEPS_PER_DAY + 100;
    const f = windowFeatures(full, end, scales, 0);
    expect(Array.from(f.slice(0, LOOKBACK))).toEqual(slots(end - 11, end).map((s) => s));
    // Days 0 and 1 at steps 100, 103, 106, 112: means 600, 603, 606, 612; has_history 1.
    expect(Array.from(f.slice(N_FEATURES - 5))).toEqual([600, 603, 606, 612, 1]);
  });

  it('fills a missing lookback interval with the last observation before it, by time', () => {
    const end = at(gappy, 605);
    expect(end).toBe(605 - 3 - 1 - 21); // 3 lookback slots, day-0 step 29 and 21 slots of day 1 are missing
    const f = windowFeatures(gappy, end, scales, 0);
    // Slots 594..605; 600, 601, 602 take slot 599's values (flow 599, speed 599 % 288 + 2000 = 2023).
    expect(Array.from(f.slice(0, LOOKBACK))).toEqual([594, 595, 596, 597, 598, 599, 599, 599, 599, 603, 604, 605]);
    expect(Array.from(f.slice(LOOKBACK, 2 * LOOKBACK))).toEqual([594, 595, 596, 597, 598, 599, 599, 599, 599, 603, 604, 605].map((s) => (s % STEPS_PER_DAY) + 2000));
  });

  it('averages only the days that were observed at each history slot', () => {
    const f = windowFeatures(gappy, at(gappy, 605), scales, 0);
    // t = day 2 step 29. Step 29: day 0 missing, day 1 missing → no observation: falls back to speed at t (2029).
    // Step 32 (+15 min): day 0 (32) observed, day 1 missing → 32. Step 35: day 0 → 35 (day 1 missing).
    // Step 41 (+60 min): days 0 and 1 → (41 + 1041) / 2 = 541.
    expect(HORIZON_STEPS).toEqual([3, 6, 12]);
    expect(Array.from(f.slice(N_FEATURES - 5))).toEqual([2029, 32, 35, 541, 1]);
  });

  it('has_history counts time, not rows: a day since the first row, whatever is missing in between', () => {
    // 12 rows a day apart from 24 rows: the last is 288 slots after the first.
    const sparse = [...slots(0, 11), ...slots(STEPS_PER_DAY - 6, STEPS_PER_DAY + 5)].map(row);
    const f = windowFeatures(sparse, sparse.length - 1, scales, 0);
    // t = slot 293 (day 1 step 5); day 0 at steps 5, 8, 11 observed, step 17 not → speed at t (1005).
    expect(Array.from(f.slice(N_FEATURES - 5))).toEqual([5, 8, 11, 1005, 1]);
    // From slot 6 on, 287 slots: less than a day (though as many rows as a day's worth of the others).
    const short = windowFeatures(sparse.slice(6), sparse.length - 7, scales, 0);
    expect(Array.from(short.slice(N_FEATURES - 5))).toEqual([1005, 1005, 1005, 1005, 0]);
  });

  it('a window that starts before the series takes the first row for the slots before it', () => {
    const f = windowFeatures(slots(10, 14).map(row), 4, scales, 0);
    expect(Array.from(f.slice(0, LOOKBACK))).toEqual([10, 10, 10, 10, 10, 10, 10, 10, 11, 12, 13, 14]);
  });

  it('refuses rows out of time order', () => {
    expect(() => new SeriesIndex([row(2), row(1)])).toThrow(expect.objectContaining({ code: 'SW_INFERENCE_SERIES_ORDER', message: expect.stringMatching(/time order: row 1 \(1970-01-01T00:05:00.000Z\) is before row 0/) }));
  });
});
