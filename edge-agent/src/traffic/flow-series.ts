import type { ApproachInterval } from './aggregator.js';

/** Five-minute flow and speed buckets of one approach, for the forecaster (the last `lookback` of them). */
export interface FiveMinuteBucket {
  endMs: number;
  /** Vehicles in the five minutes. */
  flow: number;
  /** Mean speed, km/h (the previous bucket's when nothing passed). */
  speedKmh: number | undefined;
}

const STEP_MS = 5 * 60_000;

export class FlowSeries {
  private readonly buckets: FiveMinuteBucket[] = [];
  private open: { endMs: number; flow: number; speedSum: number; speedN: number } | undefined;

  constructor(readonly lookback = 12) {}

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
    // Buckets must be consecutive for the model: a gap restarts the series.
    if (prev && o.endMs - prev.endMs !== STEP_MS) this.buckets.length = 0;
    const bucket: FiveMinuteBucket = { endMs: o.endMs, flow: o.flow, speedKmh: o.speedN > 0 ? o.speedSum / o.speedN : prev?.speedKmh };
    this.buckets.push(bucket);
    if (this.buckets.length > this.lookback * 24) this.buckets.shift();
    return bucket;
  }

  /** The last `lookback` consecutive buckets, when there are that many and all have a speed. */
  window(): FiveMinuteBucket[] | undefined {
    if (this.buckets.length < this.lookback) return undefined;
    const w = this.buckets.slice(-this.lookback);
    return w.every((b) => b.speedKmh !== undefined) ? w : undefined;
  }

  /** Every kept bucket (up to 24 lookbacks), for scale estimates. */
  history(): readonly FiveMinuteBucket[] {
    return this.buckets;
  }
}
