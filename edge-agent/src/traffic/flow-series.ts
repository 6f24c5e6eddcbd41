import type { ApproachInterval } from './aggregator.js';

/** Five-minute flow and speed buckets of one approach, for the forecaster. */
export interface FiveMinuteBucket {
  endMs: number;
  /** Vehicles in the five minutes. */
  flow: number;
  /** Mean speed, km/h (the previous bucket's when nothing passed). */
  speedKmh: number | undefined;
}

const STEP_MS = 5 * 60_000;
const DAY_MS = 24 * 60 * 60_000;
/**
 * How much history an approach keeps: a week, as the forecaster was trained on (its history features average
 * the same time of day over every earlier day given); at least a day and an hour is what they need at all.
 */
export const DEFAULT_HISTORY_MS = 7 * DAY_MS + 60 * 60_000;

export class FlowSeries {
  private readonly buckets: FiveMinuteBucket[] = [];
  private open: { endMs: number; flow: number; speedSum: number; speedN: number } | undefined;

  constructor(
    readonly lookback = 12,
    /** Buckets older than this before the newest one are dropped. */
    readonly historyMs = DEFAULT_HISTORY_MS,
  ) {}

  /** Feed one interval (≤ 5 min, aligned); returns the bucket closed by it, if any. */
  add(interval: ApproachInterval): FiveMinuteBucket | undefined {
    const endMs = Math.ceil(interval.endMs / STEP_MS) * STEP_MS;
    let closed: FiveMinuteBucket | undefined;
    if (this.open && this.open.endMs !== endMs) closed = this.close();
    this.open ??= { endMs, flow: 0, speedSum: 0, speedN: 0 };
    this.open.flow += interval.vehicles;
    if (interval.speedKmhAvg !== undefined && interval.vehicles > 0) {
      this.open.speedSum += interval.speedKmhAvg * interval.vehicles;
      this.open.speedN += interval.vehicles;
    }
    if (interval.endMs === endMs) closed = this.close() ?? closed;
    return closed;
  }

  private close(): FiveMinuteBucket | undefined {
    const o = this.open;
    if (!o) return undefined;
    this.open = undefined;
    const prev = this.buckets.at(-1);
    // A gap (the camera was down) is kept as a gap: the forecaster reads its rows by time.
    const bucket: FiveMinuteBucket = { endMs: o.endMs, flow: o.flow, speedKmh: o.speedN > 0 ? o.speedSum / o.speedN : prev?.speedKmh };
    this.buckets.push(bucket);
    const oldest = o.endMs - this.historyMs;
    let drop = 0;
    while (drop < this.buckets.length && this.buckets[drop]!.endMs < oldest) drop++;
    if (drop > 0) this.buckets.splice(0, drop);
    return bucket;
  }

  /**
   * What the forecaster is given: every kept bucket with a speed (up to `historyMs`, gaps and all), when the
   * last `lookback` five-minute buckets up to the newest one are all there with a speed; else undefined.
   */
  forecastInput(): FiveMinuteBucket[] | undefined {
    if (this.buckets.length < this.lookback) return undefined;
    const recent = this.buckets.slice(-this.lookback);
    const newest = recent.at(-1)!.endMs;
    const complete = recent.every((b, i) => b.speedKmh !== undefined && b.endMs === newest - (this.lookback - 1 - i) * STEP_MS);
    return complete ? this.buckets.filter((b) => b.speedKmh !== undefined) : undefined;
  }

  /** Every kept bucket, for scale estimates. */
  history(): readonly FiveMinuteBucket[] {
    return this.buckets;
  }
}
