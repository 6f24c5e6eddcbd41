import type { Track } from '../track/byte-tracker.js';
import { angleBetween } from '../track/motion.js';
import { distance, pointInPolygon } from './geometry.js';
import { VEHICLE_CLASSES, type LaneRule, type Point, type RuleEvent, type RuleFrame } from './types.js';

export const DEFAULT_LANE_OPTIONS = {
  /** Default seconds still before a vehicle counts as stopped. */
  stoppedS: 20,
  /** Seconds still before a vehicle counts as queued. */
  queueStillS: 2,
  /** Seconds of sustained travel against the lane before wrong_way fires. */
  wrongWayS: 1,
  /** Heading difference from the lane direction that counts as against it, degrees. */
  wrongWayAngleDeg: 120,
  /** A vehicle is still while its ground point stays within this fraction of its box height of where it stopped. */
  stillRadiusOfHeight: 0.15,
  /** Minimum still radius, pixels. */
  minStillRadiusPx: 4,
  /** Moving at least this many box heights per second counts as travelling (for wrong-way). */
  movingHeightsPerS: 0.5,
};

interface VehicleState {
  anchor: Point;
  stillSince: number;
  stoppedRaised: boolean;
  wrongSince?: number;
  wrongRaised: boolean;
}

/** Live traffic lane: stopped vehicle (possible collision or breakdown), wrong-way driving, queue. */
export class LaneWatch {
  private readonly vehicles = new Map<number, VehicleState>();
  private queueRaised = false;
  /** Vehicles queued (still for queueStillS) at the last update. */
  queueVehicles = 0;
  /** Queue length on the ground, metres (with a calibration). */
  queueLengthM: number | undefined;

  constructor(
    readonly rule: LaneRule,
    private readonly toGround?: (p: Point) => Point,
    private readonly o = DEFAULT_LANE_OPTIONS,
  ) {}

  update(frame: RuleFrame): RuleEvent[] {
    const { rule, o } = this;
    const events: RuleEvent[] = [];
    const stoppedS = rule.stoppedS ?? o.stoppedS;
    const seen = new Set<number>();
    const queued: Point[] = [];
    for (const track of frame.active) {
      const last = track.history.at(-1);
      if (!last || track.id === 0 || !VEHICLE_CLASSES.includes(track.class)) continue;
      const p: Point = [last.x, last.y];
      if (!pointInPolygon(p, rule.polygon)) continue;
      seen.add(track.id);
      const height = track.box[3] - track.box[1];
      let state = this.vehicles.get(track.id);
      if (!state) {
        state = { anchor: p, stillSince: frame.t, stoppedRaised: false, wrongRaised: false };
        this.vehicles.set(track.id, state);
      }
      if (distance(state.anchor, p) > Math.max(o.minStillRadiusPx, o.stillRadiusOfHeight * height)) {
        state.anchor = p;
        state.stillSince = frame.t;
      }
      const stillS = (frame.t - state.stillSince) / 1000;
      if (stillS >= o.queueStillS) queued.push(p);
      if (!state.stoppedRaised && stillS >= stoppedS) {
        state.stoppedRaised = true;
        events.push({ type: 'stopped_vehicle', severity: 'high', rule: rule.name, at: frame.t, class: track.class, trackId: track.id, confidence: track.score, durationS: Math.round(stillS * 10) / 10 });
      }
      if (rule.headingDeg !== undefined && !state.wrongRaised) this.checkWrongWay(track, state, height, frame.t, events);
    }
    for (const id of this.vehicles.keys()) if (!seen.has(id) && !frame.lost.some((t) => t.id === id)) this.vehicles.delete(id);
    this.updateQueue(queued, frame.t, events);
    return events;
  }

  private checkWrongWay(track: Track, state: VehicleState, height: number, t: number, events: RuleEvent[]): void {
    const m = track.motion;
    const moving = m !== undefined && (m.speedKmh !== undefined ? m.speedKmh >= 5 : Math.hypot(m.vx, m.vy) >= this.o.movingHeightsPerS * height);
    const against = moving && angleBetween(m.headingDeg, this.rule.headingDeg!) >= this.o.wrongWayAngleDeg;
    if (!against) {
      state.wrongSince = undefined;
      return;
    }
    state.wrongSince ??= t;
    if ((t - state.wrongSince) / 1000 >= this.o.wrongWayS) {
      state.wrongRaised = true;
      events.push({
        type: 'wrong_way',
        severity: 'critical',
        rule: this.rule.name,
        at: t,
        class: track.class,
        trackId: track.id,
        confidence: track.score,
        ...(m.speedKmh === undefined ? {} : { speedKmh: Math.min(400, m.speedKmh) }),
        attrs: { headingDeg: Math.round(m.headingDeg) },
      });
    }
  }

  private updateQueue(queued: Point[], t: number, events: RuleEvent[]): void {
    this.queueVehicles = queued.length;
    this.queueLengthM = undefined;
    const toGround = this.toGround;
    if (toGround && queued.length > 0) {
      const ground = queued.map(toGround);
      const head = this.rule.queue?.head ? toGround(this.rule.queue.head) : undefined;
      let longest = 0;
      for (const a of ground) {
        if (head) longest = Math.max(longest, distance(head, a));
        else for (const b of ground) longest = Math.max(longest, distance(a, b));
      }
      this.queueLengthM = Math.round(longest * 10) / 10;
    }
    const min = this.rule.queue?.minVehicles;
    if (min === undefined) return;
    if (!this.queueRaised && queued.length >= min) {
      this.queueRaised = true;
      events.push({
        type: 'queue_length',
        severity: 'low',
        rule: this.rule.name,
        at: t,
        count: queued.length,
        ...(this.queueLengthM === undefined ? {} : { attrs: { lengthM: this.queueLengthM } }),
      });
    } else if (this.queueRaised && queued.length < Math.ceil(min / 2)) this.queueRaised = false;
  }
}
