import type { FeedPeriod, SiteReading } from '../feed.js';

/**
 * The TD feed repeats in each file a period the previous file carried. The connector passes each period on
 * once (a period cut short by a truncated file is passed on again when a whole copy arrives); message ids are
 * derived from (detector, period end) as well, so a restarted connector's repeats are still stored once.
 */
export class PeriodTracker {
  private readonly done = new Map<number, boolean>();

  /** @param keepMs how far back periods are remembered, ms (default one hour). */
  constructor(private readonly keepMs = 3_600_000) {}

  fresh<R extends SiteReading>(periods: ReadonlyArray<FeedPeriod<R>>): Array<FeedPeriod<R>> {
    const out: Array<FeedPeriod<R>> = [];
    for (const period of periods) {
      if (this.done.get(period.endMs) === true) continue;
      this.done.set(period.endMs, period.complete);
      out.push(period);
    }
    const newest = Math.max(...this.done.keys());
    for (const endMs of this.done.keys()) if (endMs < newest - this.keepMs) this.done.delete(endMs);
    return out;
  }
}
