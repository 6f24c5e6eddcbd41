import type { EventType, ObjectClass, Severity } from '@streetwise/protocol';
import type { Point } from '../track/homography.js';
import type { Track } from '../track/byte-tracker.js';

export type { Point };

/** Directional count line. `in` = crossing from the left of the line (looking from `from` towards `to`) to its right. */
export interface LineRule {
  name: string;
  from: Point;
  to: Point;
  /** Classes counted. Default all. */
  classes?: ObjectClass[];
  /** Names of the two directions, e.g. { in: 'northbound', out: 'southbound' }. Default 'in' / 'out'. */
  directions?: { in?: string; out?: string };
  /** Traffic approach the counts belong to (telemetry `approach`). Default the line name. */
  approach?: string;
  /** Also publish one line_crossing event per crossing (counts always go to telemetry). Default false. */
  events?: boolean;
}

export interface ZoneRule {
  name: string;
  polygon: Point[];
  /** Classes watched. Default all. */
  classes?: ObjectClass[];
  /** Restricted area: any watched object entering raises an intrusion event. Default false. */
  restricted?: boolean;
  /** A person staying longer than this raises a loitering event, seconds. */
  loiterS?: number;
  /** Publish a dwell event (with durationS) when an object that stayed at least this long leaves, seconds. */
  dwellEventS?: number;
  /** Raise zone_occupancy when this many watched objects are inside at once. */
  maxOccupancy?: number;
  /** Raise crowd_density when at least this many people are inside (and, with a ground calibration, this many per m²). */
  crowd?: { minPersons: number; minPerM2?: number };
}

/** A live traffic lane: stopped vehicles, wrong-way driving, queues. */
export interface LaneRule {
  name: string;
  polygon: Point[];
  /** Expected direction of travel, degrees (ground: 0 = north, 90 = east; without calibration, image: 0 = up, 90 = right). */
  headingDeg?: number;
  /** A vehicle still for this long in the lane is a stopped vehicle, seconds. Default 20. */
  stoppedS?: number;
  /** Queue: at least this many still vehicles in the lane. */
  queue?: { minVehicles: number; head?: Point };
  approach?: string;
}

export interface RulesConfig {
  lines: LineRule[];
  zones: ZoneRule[];
  lanes: LaneRule[];
}

/** An event raised by a rule; the agent adds device id, location and model version. */
export interface RuleEvent {
  type: EventType;
  severity: Severity;
  rule: string;
  at: number;
  class?: ObjectClass;
  trackId?: number;
  confidence?: number;
  direction?: string;
  speedKmh?: number;
  count?: number;
  durationS?: number;
  attrs?: Record<string, string | number | boolean>;
}

/** One counted crossing, for the traffic aggregates. */
export interface Crossing {
  line: string;
  approach: string;
  direction: string;
  class: ObjectClass;
  trackId: number;
  at: number;
  speedKmh?: number;
}

/** What the rules see each frame. */
export interface RuleFrame {
  t: number;
  /** Tracks matched in this frame. */
  active: readonly Track[];
  /** Tracks hidden for a moment (still counted as present in zones). */
  lost: readonly Track[];
  /** Tracks gone for good. */
  ended: readonly Track[];
}

export const VEHICLE_CLASSES: readonly ObjectClass[] = ['car', 'bus', 'truck', 'motorcycle'];
