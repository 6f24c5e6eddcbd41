import type { ObjectClass } from '@streetwise/protocol';
import type { Box, Detection } from '../detect/types.js';
import { applyHomography, type Homography } from './homography.js';
import { estimateMotion, type MotionEstimate, type TrackPoint } from './motion.js';

export type TrackState = 'tentative' | 'tracked' | 'lost';

export interface Track {
  /** Stable id, given when the track is confirmed (2 hits); 0 while tentative. */
  id: number;
  state: TrackState;
  /** Class by vote: the class with the highest summed score over the track's detections. */
  class: ObjectClass;
  box: Box;
  score: number;
  firstSeenAt: number;
  lastSeenAt: number;
  hits: number;
  /** Bottom-centre positions, oldest first (bounded). */
  history: TrackPoint[];
  motion?: MotionEstimate;
  /** Internal: class → summed score, and velocity of the box centre (px/ms). */
  votes: Map<ObjectClass, number>;
  vx: number;
  vy: number;
}

export interface TrackerOptions {
  /** Detections at or above this score are "high" (first matching stage). Default 0.5. */
  highThreshold: number;
  /** Detections below this are ignored; between low and high they only extend existing tracks. Default 0.1. */
  lowThreshold: number;
  /** A high detection left unmatched starts a track if its score is at least this. Default 0.6. */
  newTrackThreshold: number;
  /** Minimum IoU, first stage (high detections ↔ all tracks). Default 0.2. */
  matchIou: number;
  /** Minimum IoU, second stage (low detections ↔ tracks left over). Default 0.5. */
  lowMatchIou: number;
  /** Minimum IoU to confirm a tentative track. Default 0.3. */
  tentativeMatchIou: number;
  /** A lost track is dropped after this long without a match, ms. Default 1000. */
  maxLostMs: number;
  /** Positions kept per track. Default 64. */
  historyLength: number;
  /** Image → ground homography for speeds in km/h. */
  homography?: Homography;
  /** Window for velocity estimates, ms. Default 1000. */
  motionWindowMs: number;
}

export const DEFAULT_TRACKER_OPTIONS: TrackerOptions = {
  highThreshold: 0.5,
  lowThreshold: 0.1,
  newTrackThreshold: 0.6,
  matchIou: 0.2,
  lowMatchIou: 0.5,
  tentativeMatchIou: 0.3,
  maxLostMs: 1000,
  historyLength: 64,
  motionWindowMs: 1000,
};

export interface TrackerOutput {
  /** Confirmed tracks matched in this frame. */
  active: Track[];
  /** Confirmed tracks not seen in this frame but kept a while (occlusion). */
  lost: Track[];
  /** Confirmed tracks dropped in this frame (gone for longer than maxLostMs). */
  ended: Track[];
}

function boxIou(a: Box, b: Box): number {
  const ix = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const iy = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (ix <= 0 || iy <= 0) return 0;
  const inter = ix * iy;
  return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter);
}

/** Greedy assignment by IoU, best pairs first (for the handful of objects in one camera view, as good as Hungarian in practice). */
function match(tracks: Track[], predicted: Map<Track, Box>, dets: Detection[], minIou: number) {
  const pairs: Array<{ t: number; d: number; iou: number }> = [];
  tracks.forEach((track, t) => {
    const pb = predicted.get(track)!;
    dets.forEach((det, d) => {
      const v = boxIou(pb, det.box);
      if (v >= minIou) pairs.push({ t, d, iou: v });
    });
  });
  pairs.sort((p, q) => q.iou - p.iou || p.t - q.t || p.d - q.d);
  const usedT = new Set<number>();
  const usedD = new Set<number>();
  const matched: Array<[Track, Detection]> = [];
  for (const p of pairs) {
    if (usedT.has(p.t) || usedD.has(p.d)) continue;
    usedT.add(p.t);
    usedD.add(p.d);
    matched.push([tracks[p.t]!, dets[p.d]!]);
  }
  return { matched, tracks: tracks.filter((_, i) => !usedT.has(i)), dets: dets.filter((_, i) => !usedD.has(i)) };
}

/**
 * ByteTrack-style multi-object tracker: high-score detections are matched first, then low-score ones
 * rescue tracks that would otherwise be lost (occlusion, blur). Constant-velocity prediction; stable ids.
 * Pure state machine: feed it detections and a timestamp, get tracks back.
 */
export class ByteTracker {
  readonly options: TrackerOptions;
  private tracks: Track[] = [];
  private nextId = 1;

  constructor(options: Partial<TrackerOptions> = {}) {
    this.options = { ...DEFAULT_TRACKER_OPTIONS, ...options };
  }

  setHomography(h: Homography | undefined): void {
    this.options.homography = h;
  }

  update(detections: readonly Detection[], now: number): TrackerOutput {
    const o = this.options;
    const predicted = new Map<Track, Box>();
    for (const t of this.tracks) {
      const dt = now - t.lastSeenAt;
      const [x1, y1, x2, y2] = t.box;
      predicted.set(t, [x1 + t.vx * dt, y1 + t.vy * dt, x2 + t.vx * dt, y2 + t.vy * dt]);
    }
    const high = detections.filter((d) => d.score >= o.highThreshold);
    const low = detections.filter((d) => d.score >= o.lowThreshold && d.score < o.highThreshold);
    const confirmed = this.tracks.filter((t) => t.state !== 'tentative');
    const tentative = this.tracks.filter((t) => t.state === 'tentative');

    const first = match(confirmed, predicted, high, o.matchIou);
    for (const [t, d] of first.matched) this.apply(t, d, now);
    const stillTracked = first.tracks.filter((t) => t.state === 'tracked');
    const second = match(stillTracked, predicted, low, o.lowMatchIou);
    for (const [t, d] of second.matched) this.apply(t, d, now);
    const third = match(tentative, predicted, first.dets, o.tentativeMatchIou);
    for (const [t, d] of third.matched) {
      this.apply(t, d, now);
      t.id = this.nextId++;
    }

    const ended: Track[] = [];
    const unmatched = new Set([...second.tracks, ...first.tracks.filter((t) => t.state === 'lost'), ...third.tracks]);
    this.tracks = this.tracks.filter((t) => {
      if (!unmatched.has(t)) return true;
      if (t.state === 'tentative') return false;
      t.state = 'lost';
      if (now - t.lastSeenAt > o.maxLostMs) {
        ended.push(t);
        return false;
      }
      return true;
    });
    for (const d of third.dets) if (d.score >= o.newTrackThreshold) this.tracks.push(this.create(d, now));

    return {
      active: this.tracks.filter((t) => t.state === 'tracked' && t.lastSeenAt === now),
      lost: this.tracks.filter((t) => t.state === 'lost'),
      ended,
    };
  }

  /** Every track the tracker holds (tentative included), for inspection. */
  all(): readonly Track[] {
    return this.tracks;
  }

  private create(d: Detection, now: number): Track {
    const t: Track = {
      id: 0,
      state: 'tentative',
      class: d.class,
      box: d.box,
      score: d.score,
      firstSeenAt: now,
      lastSeenAt: now,
      hits: 1,
      history: [],
      votes: new Map([[d.class, d.score]]),
      vx: 0,
      vy: 0,
    };
    this.record(t, now);
    return t;
  }

  private apply(t: Track, d: Detection, now: number): void {
    const dt = now - t.lastSeenAt;
    if (dt > 0) {
      // Centre velocity, smoothed: new evidence weighs 0.5 (detector jitter is a few pixels per frame).
      const cx = (d.box[0] + d.box[2] - t.box[0] - t.box[2]) / 2 / dt;
      const cy = (d.box[1] + d.box[3] - t.box[1] - t.box[3]) / 2 / dt;
      t.vx = t.hits === 1 ? cx : 0.5 * t.vx + 0.5 * cx;
      t.vy = t.hits === 1 ? cy : 0.5 * t.vy + 0.5 * cy;
    }
    t.box = d.box;
    t.score = d.score;
    t.lastSeenAt = now;
    t.hits++;
    t.state = 'tracked';
    t.votes.set(d.class, (t.votes.get(d.class) ?? 0) + d.score);
    let best = t.class;
    let bestVote = -1;
    for (const [cls, vote] of t.votes) if (vote > bestVote) [best, bestVote] = [cls, vote];
    t.class = best;
    this.record(t, now);
  }

  private record(t: Track, now: number): void {
    const x = (t.box[0] + t.box[2]) / 2;
    const y = t.box[3];
    const h = this.options.homography;
    t.history.push(h ? { t: now, x, y, ground: applyHomography(h, [x, y]) } : { t: now, x, y });
    if (t.history.length > this.options.historyLength) t.history.shift();
    t.motion = estimateMotion(t.history, this.options.motionWindowMs);
  }
}
