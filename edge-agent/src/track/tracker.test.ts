import { describe, expect, it } from 'vitest';
import type { ObjectClass } from '@streetwise/protocol';
import type { Detection } from '../detect/types.js';
import { ByteTracker } from './byte-tracker.js';
import { applyHomography, computeHomography, latLonToMeters } from './homography.js';
import { angleBetween, estimateMotion } from './motion.js';

const det = (x: number, y: number, cls: ObjectClass = 'car', score = 0.9, w = 40, h = 30): Detection => ({ class: cls, classId: 0, score, box: [x, y, x + w, y + h] });
const FRAME_MS = 100;

describe('ByteTracker', () => {
  it('keeps stable ids for two cars passing each other in opposite directions', () => {
    const tracker = new ByteTracker();
    const idsA = new Set<number>();
    const idsB = new Set<number>();
    for (let f = 0; f < 40; f++) {
      const out = tracker.update([det(10 + f * 10, 100), det(410 - f * 10, 160)], f * FRAME_MS);
      if (f === 0) expect(out.active).toHaveLength(0); // tentative until the second hit
      for (const t of out.active) (t.box[1] === 100 ? idsA : idsB).add(t.id);
    }
    expect([...idsA]).toEqual([1]);
    expect([...idsB]).toEqual([2]);
  });

  it('low-score detections (occlusion) keep a track alive in the second stage; they never start one', () => {
    const tracker = new ByteTracker();
    const seen: number[] = [];
    for (let f = 0; f < 20; f++) {
      const score = f >= 8 && f < 12 ? 0.3 : 0.9;
      const out = tracker.update([det(100 + f * 5, 100, 'person', score), det(400, 400, 'person', 0.3)], f * FRAME_MS);
      seen.push(...out.active.map((t) => t.id));
    }
    expect(new Set(seen)).toEqual(new Set([1]));
    expect(seen.filter((id) => id === 1)).toHaveLength(19); // every frame but the first
  });

  it('bridges a short gap with the same id (predicted position); a long gap ends the track', () => {
    const tracker = new ByteTracker({ maxLostMs: 1000 });
    const ended: number[] = [];
    const ids: number[] = [];
    const step = (f: number, present: boolean) => {
      const out = tracker.update(present ? [det(10 + f * 8, 50)] : [], f * FRAME_MS);
      ids.push(...out.active.map((t) => t.id));
      ended.push(...out.ended.map((t) => t.id));
    };
    for (let f = 0; f < 10; f++) step(f, true);
    for (let f = 10; f < 15; f++) step(f, false); // 0.5 s hidden, still moving 8 px/frame
    for (let f = 15; f < 20; f++) step(f, true);
    expect(new Set(ids)).toEqual(new Set([1]));
    for (let f = 20; f < 32; f++) step(f, false); // 1.2 s hidden
    expect(ended).toEqual([1]);
    for (let f = 32; f < 35; f++) step(f, true);
    expect(ids.at(-1)).toBe(2);
  });

  it('votes the class over the track: 10 × car 0.8 beats 2 × truck 0.9', () => {
    const tracker = new ByteTracker();
    let last: ReturnType<ByteTracker['update']> | undefined;
    for (let f = 0; f < 12; f++) last = tracker.update([det(100 + f, 100, f === 4 || f === 7 ? 'truck' : 'car', f === 4 || f === 7 ? 0.9 : 0.8)], f * FRAME_MS);
    expect(last!.active[0]!.class).toBe('car');
    expect(last!.active[0]!.votes.get('truck')).toBeCloseTo(1.8, 9);
  });

  it('speed in km/h and heading from a ground calibration: 100 px/s at 0.1 m/px eastwards = 36 km/h, 90°', () => {
    // Image x → east, image y → south; 10 px = 1 m. Point (0, 0) is 50 m north of the ground origin.
    const h = computeHomography([
      { image: [0, 0], ground: [0, 50] },
      { image: [1000, 0], ground: [100, 50] },
      { image: [1000, 500], ground: [100, 0] },
      { image: [0, 500], ground: [0, 0] },
    ])!;
    const tracker = new ByteTracker({ homography: h });
    let out: ReturnType<ByteTracker['update']> | undefined;
    for (let f = 0; f < 15; f++) out = tracker.update([det(100 + f * 10, 200)], f * FRAME_MS);
    const motion = out!.active[0]!.motion!;
    expect(motion.speedKmh).toBeCloseTo(36, 9);
    expect(motion.headingDeg).toBeCloseTo(90, 9);
    expect(motion.vx).toBeCloseTo(100, 9);
  });
});

describe('homography and motion', () => {
  it('solves a perspective mapping from 4 pairs and maps other points exactly', () => {
    // A known projective transform: H = [[2, 0.1, 5], [0.2, 1.5, -3], [0.001, 0.002, 1]]
    const H = [2, 0.1, 5, 0.2, 1.5, -3, 0.001, 0.002, 1] as const;
    const map = ([u, v]: [number, number]): [number, number] => {
      const w = H[6] * u + H[7] * v + H[8];
      return [(H[0] * u + H[1] * v + H[2]) / w, (H[3] * u + H[4] * v + H[5]) / w];
    };
    const corners: Array<[number, number]> = [[0, 0], [640, 0], [640, 480], [0, 480]];
    const h = computeHomography(corners.map((c) => ({ image: c, ground: map(c) })))!;
    for (const p of [[320, 240], [17, 401], [600, 33]] as Array<[number, number]>) {
      const got = applyHomography(h, p);
      expect(got[0]).toBeCloseTo(map(p)[0], 6);
      expect(got[1]).toBeCloseTo(map(p)[1], 6);
    }
    expect(computeHomography([{ image: [0, 0], ground: [0, 0] }])).toBeUndefined();
    // Collinear image points: no solution
    expect(computeHomography([0, 1, 2, 3].map((i) => ({ image: [i, i] as [number, number], ground: [i, 0] as [number, number] })))).toBeUndefined();
  });

  it('lat/lon to local metres: 0.001° of latitude ≈ 111.2 m', () => {
    const [x, y] = latLonToMeters({ lat: 22.3, lon: 114.17 }, 22.301, 114.17);
    expect(x).toBe(0);
    expect(y).toBeCloseTo(111.195, 2);
  });

  it('motion needs 3 points over 300 ms; image heading 0° = up', () => {
    expect(estimateMotion([{ t: 0, x: 0, y: 0 }, { t: 100, x: 0, y: -1 }])).toBeUndefined();
    const m = estimateMotion([0, 1, 2, 3].map((i) => ({ t: i * 100, x: 0, y: -i * 5 })))!;
    expect(m.headingDeg).toBeCloseTo(0, 9);
    expect(m.vy).toBeCloseTo(-50, 9);
    expect(angleBetween(350, 10)).toBe(20);
    expect(angleBetween(90, 270)).toBe(180);
  });
});
