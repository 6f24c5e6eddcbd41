import type { FeedProblemCode, SiteReading } from '../feed.js';

/** One lane of one detector in one 30-s period, as the feed gives it. */
export interface TdLane {
  laneId: string;
  /** The feed's own flag: valid = "Y". */
  validInFeed: boolean;
  /** Set when the feed said "Y" but a value was unusable; the lane then counts as invalid. */
  rejected?: FeedProblemCode;
  /** Mean speed of the vehicles counted, km/h (the feed writes a default, e.g. 70, when it counted none). */
  speedKmh?: number;
  /** Share of the 30 s the loop was occupied, %. */
  occupancyPct?: number;
  /** Vehicles counted in the 30 s. */
  volume?: number;
  /** Standard deviation of speed, km/h. */
  speedSdKmh?: number;
}

export interface TdDetectorReading {
  detectorId: string;
  /** Compass direction as written: "South East". */
  direction: string;
  lanes: TdLane[];
}

export interface TdRawPeriod {
  label: string;
  /** Feed time of day, Hong Kong wall clock. */
  from: string;
  to: string;
  startMs: number;
  endMs: number;
  complete: boolean;
  detectors: TdDetectorReading[];
}

/** Per detector and 30-s period (the FeedPeriod it sits in gives the times): what the connector will publish as telemetry. */
export interface TdDetectorAggregate extends SiteReading {
  /** The detector id, e.g. "AID01101". */
  siteId: string;
  direction: string;
  /** Vehicles in the period, summed over valid lanes. */
  volume: number;
  /** Volume-weighted mean speed over valid lanes, km/h; undefined when no valid lane counted a vehicle. */
  speedKmh: number | undefined;
  /** Mean occupancy over valid lanes, %; undefined when no lane is valid. */
  occupancyPct: number | undefined;
  lanesValid: number;
  lanesInvalid: number;
}
