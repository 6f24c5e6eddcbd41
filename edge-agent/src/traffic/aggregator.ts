import type { Counts, ObjectClass } from '@streetwise/protocol';
import type { Crossing } from '../rules/types.js';
import { VEHICLE_CLASSES } from '../rules/types.js';

/** One approach's figures for one interval, ready for a telemetry message. */
export interface ApproachInterval {
  approach: string;
  /** End of the interval, ms since the epoch. */
  endMs: number;
  intervalS: number;
  counts: Counts;
  /** Vehicles (car, bus, truck, motorcycle) counted. */
  vehicles: number;
  speedKmhAvg?: number;
  speedKmhP85?: number;
  queueLengthM?: number;
}

interface Bucket {
  counts: Map<ObjectClass, number>;
  speeds: number[];
  queueLengthM?: number;
}

const emptyBucket = (): Bucket => ({ counts: new Map(), speeds: [] });

/** Nearest-rank percentile of unsorted values. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const round1 = (v: number) => Math.round(v * 10) / 10;

/**
 * Per-approach counts and speeds over fixed intervals aligned to the clock (e.g. each whole minute).
 * Every known approach reports every interval, zeros included: a quiet minute is data for the flow series.
 */
export class TrafficAggregator {
  private readonly buckets = new Map<string, Bucket>();
  private currentEnd: number | undefined;

  constructor(readonly intervalS = 60, approaches: readonly string[] = []) {
    for (const a of approaches) this.buckets.set(a, emptyBucket());
  }

  private bucket(approach: string): Bucket {
    let b = this.buckets.get(approach);
    if (!b) this.buckets.set(approach, (b = emptyBucket()));
    return b;
  }

  private endOf(t: number): number {
    const ms = this.intervalS * 1000;
    return Math.floor(t / ms) * ms + ms;
  }

  /** Close the intervals that ended by `now` and start the next; call at least once per interval. */
  tick(now: number): ApproachInterval[] {
    if (this.currentEnd === undefined) {
      this.currentEnd = this.endOf(now);
      return [];
    }
    if (now < this.currentEnd) return [];
    const endMs = this.currentEnd;
    const out: ApproachInterval[] = [];
    for (const [approach, b] of this.buckets) {
      const counts: Counts = {};
      let vehicles = 0;
      for (const [cls, n] of b.counts) {
        counts[cls] = n;
        if (VEHICLE_CLASSES.includes(cls)) vehicles += n;
      }
      const avg = b.speeds.length ? b.speeds.reduce((s, v) => s + v, 0) / b.speeds.length : undefined;
      const p85 = percentile(b.speeds, 85);
      out.push({
        approach,
        endMs,
        intervalS: this.intervalS,
        counts,
        vehicles,
        ...(avg === undefined ? {} : { speedKmhAvg: round1(Math.min(300, avg)) }),
        ...(p85 === undefined ? {} : { speedKmhP85: round1(Math.min(300, p85)) }),
        ...(b.queueLengthM === undefined ? {} : { queueLengthM: b.queueLengthM }),
      });
      this.buckets.set(approach, emptyBucket());
    }
    // A long pause (no frames) skips the empty intervals in between rather than inventing zeros for them.
    this.currentEnd = this.endOf(now);
    return out;
  }

  add(crossing: Crossing): void {
    const b = this.bucket(crossing.approach);
    b.counts.set(crossing.class, (b.counts.get(crossing.class) ?? 0) + 1);
    if (crossing.speedKmh !== undefined && VEHICLE_CLASSES.includes(crossing.class)) b.speeds.push(crossing.speedKmh);
  }

  /** Longest queue seen in the interval, metres. */
  observeQueue(approach: string, lengthM: number | undefined): void {
    if (lengthM === undefined) return;
    const b = this.bucket(approach);
    b.queueLengthM = Math.max(b.queueLengthM ?? 0, Math.min(10_000, lengthM));
  }
}
