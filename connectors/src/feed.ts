/**
 * What every feed connector shares. A feed is one file that turns the bytes of one published snapshot into
 * periods of per-site readings plus a list of problems; sources (HTTP polling, replay), the health model and,
 * later, the mapping to protocol messages work on these plain values only. A second feed (for example the
 * Environmental Protection Department's hourly pollutant concentrations per station) is one more Feed.
 */

/** Closed list of what can be wrong in part of a feed; none of them stops the rest from being read. */
export const FEED_PROBLEM_CODES = [
  'xml_malformed',
  'truncated',
  'encoding',
  'unknown_site',
  'duplicate_site',
  'negative_value',
  'non_numeric',
  'out_of_range',
  'missing_field',
  'bad_period',
  'future_period',
] as const;
export type FeedProblemCode = (typeof FEED_PROBLEM_CODES)[number];

/** One thing wrong in a snapshot, named as precisely as the damage allows. */
export interface FeedProblem {
  code: FeedProblemCode;
  /** One line a person can act on; it repeats the period and site below. */
  message: string;
  /** The period as the feed writes it, e.g. "2024-04-06 21:27:00–21:27:30 HKT". */
  period?: string;
  /** Site id: the detector id for the TD feed, the station for an air-quality feed. */
  siteId?: string;
  laneId?: string;
  field?: string;
  value?: string;
  /** Character offset in the decoded text, where the damage is (0-based). */
  offset?: number;
}

/** A reading always belongs to one site. */
export interface SiteReading {
  siteId: string;
}

/** A place that a feed reports on: a device of the city once mapped to the protocol. */
export interface FeedSite {
  siteId: string;
  name: string;
  district: string;
  road: string;
  latitude: number;
  longitude: number;
}

export interface FeedPeriod<R extends SiteReading> {
  /** As the feed writes it, for people: "2024-04-06 21:27:00–21:27:30 HKT". */
  label: string;
  startMs: number;
  endMs: number;
  /** Set by replay, which re-times old snapshots to now: the period's own times as published. */
  originalStartMs?: number;
  originalEndMs?: number;
  /** False when the snapshot was cut inside this period: its readings are those that arrived whole. */
  complete: boolean;
  readings: R[];
}

export interface FeedSnapshot<R extends SiteReading> {
  periods: Array<FeedPeriod<R>>;
  problems: FeedProblem[];
}

export interface FeedReadContext {
  /** Wall-clock now, ms; periods ending later than now + futureToleranceMs are refused. */
  nowMs: number;
  /** Default 5 minutes, the protocol's allowance for clock skew. */
  futureToleranceMs?: number;
  /** Where the bytes came from (URL or file), for error messages. */
  source: string;
}

export interface Feed<R extends SiteReading> {
  /** Stable name, used in errors and message-id keys: "hk-td-speed-volume". */
  readonly name: string;
  /** How often the publisher writes a new snapshot, seconds. */
  readonly periodS: number;
  /** Every site the feed may report, by id. */
  readonly sites: ReadonlyMap<string, FeedSite>;
  /** Throws SW_CONNECTOR_FEED_UNREADABLE only when nothing at all can be read. */
  read(bytes: Uint8Array, context: FeedReadContext): FeedSnapshot<R>;
}

export const DEFAULT_FUTURE_TOLERANCE_MS = 5 * 60_000;
