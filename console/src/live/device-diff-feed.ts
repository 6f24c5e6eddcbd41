/**
 * The devices:diff feed of one console node. Whatever may change a device's colour marks its id: ingest's
 * NOTIFY sw_devices (births, last wills), sw_health (health arrived; an admin changed the device) and
 * sw_incidents (its worst open incident). Marked ids wait until the next flush: at most one per
 * intervalMs, and gatherMs after the first mark when the feed was idle, so a burst makes one diff. A
 * flush computes the marked devices' features in one query and sends only those that really changed
 * since this node last sent them (and removes those no longer on the map), in the compact form of
 * device-diff-message.ts.
 * Time changes a state too (a device goes silent): each device's silent_at is kept, and the device is
 * looked at again once it passes; a full look every fullSyncMs repairs anything a lost NOTIFY missed.
 */
import type { Queryable } from '@streetwise/db';
import { addToDiff, emptyLive, LIVE_CODES, sentDevice, type DevicesDiff, type SentDevice } from './device-diff-message.js';
import { selectDeviceFeatures, type DeviceFeature, type LocatedFeature } from './device-features.js';

export type { DevicesDiff } from './device-diff-message.js';

export interface DeviceDiffFeedOptions {
  /** At most one diff per this many ms. Default 1000. */
  intervalMs: number;
  /** An idle feed waits this long after the first mark for more, ms. Default 200. */
  gatherMs: number;
  /** Every device is looked at again this often, ms. Default 300 000 (reading 5,000 devices costs the embedded database about 0.5–0.9 s). */
  fullSyncMs: number;
  /** How often silent_at deadlines are checked, ms. Default 1000. */
  silentCheckMs: number;
  now: () => number;
  onError: (err: unknown) => void;
}

export const DEFAULT_DEVICE_DIFF_FEED_OPTIONS: Omit<DeviceDiffFeedOptions, 'onError'> = {
  intervalMs: 1000,
  gatherMs: 200,
  fullSyncMs: 300_000,
  silentCheckMs: 1000,
  now: Date.now,
};

interface Known {
  sent: SentDevice;
  silentAtMs: number | null;
}

export class DeviceDiffFeed {
  private readonly options: DeviceDiffFeedOptions;
  private readonly known = new Map<string, Known>();
  private readonly pending = new Set<string>();
  private fullPending = false;
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly timers: NodeJS.Timeout[] = [];
  private lastFlushMs = 0;
  private flushing: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly db: Queryable,
    private readonly send: (diff: DevicesDiff) => void,
    options: Partial<DeviceDiffFeedOptions> = {},
  ) {
    this.options = { ...DEFAULT_DEVICE_DIFF_FEED_OPTIONS, onError: () => undefined, ...options };
  }

  /** Read every device once (what the browsers have from GET /devices/geojson), then keep watch. */
  async start(): Promise<void> {
    for (const { feature, silentAtMs } of await selectDeviceFeatures(this.db)) this.remember(feature, silentAtMs);
    const every = (ms: number, run: () => void): void => {
      const timer = setInterval(run, ms);
      timer.unref();
      this.timers.push(timer);
    };
    every(this.options.silentCheckMs, () => this.markDueSilent());
    every(this.options.fullSyncMs, () => {
      this.fullPending = true;
      this.schedule();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    await this.flushing;
  }

  /** These devices may look different now. */
  mark(ids: Iterable<string>): void {
    for (const id of ids) this.pending.add(id);
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped || this.flushTimer || (this.pending.size === 0 && !this.fullPending)) return;
    const now = this.options.now();
    const delay = Math.max(this.options.gatherMs, this.lastFlushMs + this.options.intervalMs - now);
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.flushing = this.flushing.then(() => this.flush()).catch((err: unknown) => this.options.onError(err));
    }, delay);
    this.flushTimer.unref();
  }

  private markDueSilent(): void {
    const now = this.options.now();
    const due: string[] = [];
    for (const [id, k] of this.known) {
      if (k.silentAtMs !== null && k.silentAtMs <= now) {
        k.silentAtMs = null; // looked at once; the flush stores the new deadline
        due.push(id);
      }
    }
    if (due.length > 0) this.mark(due);
  }

  private async flush(): Promise<void> {
    if (this.stopped) return;
    const full = this.fullPending;
    const ids = [...this.pending];
    this.fullPending = false;
    this.pending.clear();
    this.lastFlushMs = this.options.now();
    if (!full && ids.length === 0) return;
    let located: LocatedFeature[];
    try {
      located = await selectDeviceFeatures(this.db, full ? undefined : ids);
    } catch (err) {
      // Look again at the next flush.
      for (const id of ids) this.pending.add(id);
      if (full) this.fullPending = true;
      throw err;
    } finally {
      this.schedule();
    }
    const diff: DevicesDiff = { v: 2, at: '', upsert: [], live: emptyLive(), codes: LIVE_CODES, remove: [] };
    const seen = new Set<string>();
    for (const { feature, silentAtMs } of located) {
      seen.add(feature.id);
      const before = this.known.get(feature.id)?.sent;
      this.remember(feature, silentAtMs, addToDiff(diff, feature, before) ?? before);
    }
    diff.remove = (full ? [...this.known.keys()] : ids).filter((id) => !seen.has(id) && this.known.has(id));
    for (const id of diff.remove) this.known.delete(id);
    if (this.stopped || (diff.upsert.length === 0 && diff.live.ids.length === 0 && diff.remove.length === 0)) return;
    diff.at = new Date(this.options.now()).toISOString();
    this.send(diff);
  }

  private remember(feature: DeviceFeature, silentAtMs: number | null, sent = sentDevice(feature)): void {
    // A device already silent (or offline) needs no deadline: only a new message changes it, and that marks it.
    const watch = feature.properties.state !== 'offline' && feature.properties.stateReason !== 'silent';
    this.known.set(feature.id, { sent, silentAtMs: watch ? silentAtMs : null });
  }
}
