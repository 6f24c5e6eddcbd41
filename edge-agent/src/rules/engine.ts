import { applyHomography, type Homography } from '../track/homography.js';
import { polygonArea } from './geometry.js';
import { LaneWatch } from './lanes.js';
import { LineCounter } from './line-crossing.js';
import type { Crossing, Point, RuleEvent, RuleFrame, RulesConfig } from './types.js';
import { ZoneWatch } from './zones.js';

export interface RulesSnapshot {
  /** Watched objects in all zones at the last frame. */
  zoneOccupancy: number;
  /** Per lane: queued vehicles and queue length (m, with calibration). */
  queues: Array<{ lane: string; approach: string; vehicles: number; lengthM?: number }>;
}

/**
 * All rules of one camera. Pure in the sense that matters: the same frames give the same events; state is
 * only what the rules must remember between frames (which side of a line a track was on, since when it stood).
 * Replace the whole engine to change rules (hot reload): per-track state restarts, counts are not lost because
 * crossings are handed out as they happen.
 */
export class RuleEngine {
  private readonly lines: LineCounter[];
  private readonly zones: ZoneWatch[];
  private readonly lanes: LaneWatch[];

  constructor(readonly config: RulesConfig, homography?: Homography) {
    const toGround = homography ? (p: Point) => applyHomography(homography, p) : undefined;
    this.lines = config.lines.map((l) => new LineCounter(l));
    this.zones = config.zones.map((z) => new ZoneWatch(z, toGround ? polygonArea(z.polygon.map(toGround)) : undefined));
    this.lanes = config.lanes.map((l) => new LaneWatch(l, toGround));
  }

  update(frame: RuleFrame): { events: RuleEvent[]; crossings: Crossing[] } {
    const events: RuleEvent[] = [];
    const crossings: Crossing[] = [];
    for (const line of this.lines) {
      const out = line.update(frame);
      events.push(...out.events);
      crossings.push(...out.crossings);
    }
    for (const zone of this.zones) events.push(...zone.update(frame));
    for (const lane of this.lanes) events.push(...lane.update(frame));
    return { events, crossings };
  }

  snapshot(): RulesSnapshot {
    return {
      zoneOccupancy: this.zones.reduce((sum, z) => sum + z.occupancy, 0),
      queues: this.lanes.map((l) => ({
        lane: l.rule.name,
        approach: l.rule.approach ?? l.rule.name,
        vehicles: l.queueVehicles,
        ...(l.queueLengthM === undefined ? {} : { lengthM: l.queueLengthM }),
      })),
    };
  }
}
