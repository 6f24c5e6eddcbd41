import type { FeedPeriod, SiteReading } from '../feed.js';
import { SW_CONNECTOR_OPTIONS_INVALID } from '../errors.js';

export interface FeedHealthOptions {
  /** A site silent this long (in feed time) is stale, ms. Default 90 000 (three 30-s periods). */
  siteStaleAfterMs?: number;
  /** A site silent this long (in feed time) is offline, ms. Default 600 000 (10 minutes). */
  siteOfflineAfterMs?: number;
  /** The feed is stale when its newest period ended this long ago (wall clock), ms. Default 120 000. */
  feedStaleAfterMs?: number;
}

export const DEFAULT_FEED_HEALTH_OPTIONS: Required<FeedHealthOptions> = {
  siteStaleAfterMs: 90_000,
  siteOfflineAfterMs: 600_000,
  feedStaleAfterMs: 120_000,
};

export type SiteState = 'live' | 'stale' | 'offline';
export type FeedState = 'ok' | 'stale' | 'never_read';

export interface SiteTransition {
  siteId: string;
  from: SiteState;
  to: SiteState;
}

/** The connector's own health, as plain values: what its gateway status message will carry. */
export interface FeedHealthReport {
  feed: FeedState;
  /** Wall-clock now minus the end of the newest period read, seconds; undefined before the first read. */
  feedAgeS: number | undefined;
  latestPeriodEndMs: number | undefined;
  /** Fetches or reads that failed in a row (0 after a success). */
  consecutiveFailures: number;
  lastError: string | undefined;
  sites: { live: number; stale: string[]; offline: string[] };
  /** One line each, for people: "feed stale: newest period ended 300 s ago". */
  warnings: string[];
}

/**
 * One last will cannot speak for 750 detectors, so the connector tracks each one: a detector that stops
 * appearing becomes stale, then offline. Silence is measured in feed time (newest period read minus the
 * detector's last period), so that when the whole feed stops the report says "feed stale" once instead of
 * turning every detector offline; the feed's own age is measured against the wall clock.
 */
export class FeedHealth {
  private readonly options: Required<FeedHealthOptions>;
  private readonly lastSeenEndMs = new Map<string, number>();
  private readonly reportedState = new Map<string, SiteState>();
  private latestEndMs: number | undefined;
  private failures = 0;
  private lastErrorMessage: string | undefined;

  constructor(options: FeedHealthOptions = {}) {
    this.options = { ...DEFAULT_FEED_HEALTH_OPTIONS, ...options };
    const { siteStaleAfterMs, siteOfflineAfterMs, feedStaleAfterMs } = this.options;
    if (!(siteStaleAfterMs >= 1000)) throw SW_CONNECTOR_OPTIONS_INVALID(['siteStaleAfterMs', siteStaleAfterMs, 'at least 1000']);
    if (!(siteOfflineAfterMs > siteStaleAfterMs)) throw SW_CONNECTOR_OPTIONS_INVALID(['siteOfflineAfterMs', siteOfflineAfterMs, `more than siteStaleAfterMs (${siteStaleAfterMs})`]);
    if (!(feedStaleAfterMs >= 1000)) throw SW_CONNECTOR_OPTIONS_INVALID(['feedStaleAfterMs', feedStaleAfterMs, 'at least 1000']);
  }

  /** Periods just read: every site in them is live as of that period's end. */
  observe(periods: ReadonlyArray<FeedPeriod<SiteReading>>): void {
    for (const period of periods) {
      if (this.latestEndMs === undefined || period.endMs > this.latestEndMs) this.latestEndMs = period.endMs;
      for (const reading of period.readings) {
        const seen = this.lastSeenEndMs.get(reading.siteId);
        if (seen === undefined || period.endMs > seen) this.lastSeenEndMs.set(reading.siteId, period.endMs);
      }
    }
  }

  recordSuccess(): void {
    this.failures = 0;
  }

  recordFailure(error: Error): void {
    this.failures++;
    this.lastErrorMessage = error.message;
  }

  siteState(siteId: string): SiteState | undefined {
    const seen = this.lastSeenEndMs.get(siteId);
    if (seen === undefined || this.latestEndMs === undefined) return undefined;
    const silentMs = this.latestEndMs - seen;
    if (silentMs >= this.options.siteOfflineAfterMs) return 'offline';
    if (silentMs >= this.options.siteStaleAfterMs) return 'stale';
    return 'live';
  }

  /** Sites whose state changed since the last call (a site first seen counts as a change from offline to live). */
  transitions(): SiteTransition[] {
    const changes: SiteTransition[] = [];
    for (const siteId of this.lastSeenEndMs.keys()) {
      const to = this.siteState(siteId)!;
      const from = this.reportedState.get(siteId) ?? 'offline';
      if (from !== to) changes.push({ siteId, from, to });
      this.reportedState.set(siteId, to);
    }
    return changes;
  }

  report(nowMs: number): FeedHealthReport {
    const stale: string[] = [];
    const offline: string[] = [];
    let live = 0;
    for (const siteId of this.lastSeenEndMs.keys()) {
      const state = this.siteState(siteId);
      if (state === 'stale') stale.push(siteId);
      else if (state === 'offline') offline.push(siteId);
      else live++;
    }
    const ageMs = this.latestEndMs === undefined ? undefined : nowMs - this.latestEndMs;
    const feed: FeedState = ageMs === undefined ? 'never_read' : ageMs > this.options.feedStaleAfterMs ? 'stale' : 'ok';
    const warnings: string[] = [];
    if (feed === 'stale') warnings.push(`feed stale: newest period ended ${Math.round(ageMs! / 1000)} s ago`);
    if (this.failures > 0) warnings.push(`${this.failures} failed fetches in a row: ${this.lastErrorMessage ?? ''}`);
    if (stale.length > 0) warnings.push(`${stale.length} detectors stale`);
    if (offline.length > 0) warnings.push(`${offline.length} detectors offline`);
    return {
      feed,
      feedAgeS: ageMs === undefined ? undefined : ageMs / 1000,
      latestPeriodEndMs: this.latestEndMs,
      consecutiveFailures: this.failures,
      lastError: this.lastErrorMessage,
      sites: { live, stale: stale.sort(), offline: offline.sort() },
      warnings,
    };
  }
}
