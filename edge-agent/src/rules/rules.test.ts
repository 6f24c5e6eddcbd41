import { describe, expect, it } from 'vitest';
import type { ObjectClass } from '@streetwise/protocol';
import type { Detection } from '../detect/types.js';
import { ByteTracker } from '../track/byte-tracker.js';
import { computeHomography } from '../track/homography.js';
import { RuleEngine } from './engine.js';
import type { Crossing, RuleEvent, RulesConfig } from './types.js';

/**
 * Synthetic scenes with a known answer: objects follow scripted paths (bottom-centre position as a function
 * of time), the detector output gets ±1 px of deterministic jitter, and the real tracker and rules run on it.
 */
interface Actor {
  cls: ObjectClass;
  from: number;
  to: number;
  /** bottom-centre at time t (ms) */
  at: (t: number) => [number, number];
  w?: number;
  h?: number;
}

function runScene(actors: Actor[], config: Partial<RulesConfig>, durationMs: number, options: { frameMs?: number; homography?: ReturnType<typeof computeHomography> } = {}) {
  const frameMs = options.frameMs ?? 100;
  let seed = 12345;
  const jitter = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return (seed / 2 ** 31) * 2 - 1;
  };
  const tracker = new ByteTracker({ homography: options.homography });
  const engine = new RuleEngine({ lines: [], zones: [], lanes: [], ...config }, options.homography);
  const events: RuleEvent[] = [];
  const crossings: Crossing[] = [];
  const snapshots: Array<ReturnType<RuleEngine['snapshot']>> = [];
  for (let t = 0; t <= durationMs; t += frameMs) {
    const detections: Detection[] = actors
      .filter((a) => t >= a.from && t <= a.to)
      .map((a) => {
        const [x, y] = a.at(t);
        const w = a.w ?? 40;
        const h = a.h ?? 30;
        const jx = jitter();
        const jy = jitter();
        return { class: a.cls, classId: 0, score: 0.85, box: [x - w / 2 + jx, y - h + jy, x + w / 2 + jx, y + jy] };
      });
    const out = tracker.update(detections, t);
    const r = engine.update({ t, ...out });
    events.push(...r.events);
    crossings.push(...r.crossings);
    snapshots.push(engine.snapshot());
  }
  return { events, crossings, snapshots };
}

/** Straight path from p0 at t0 to p1 at t1. */
const path = (t0: number, t1: number, p0: [number, number], p1: [number, number]) => (t: number): [number, number] => {
  const f = Math.min(1, Math.max(0, (t - t0) / (t1 - t0)));
  return [p0[0] + (p1[0] - p0[0]) * f, p0[1] + (p1[1] - p0[1]) * f];
};
const drive = (cls: ObjectClass, start: number, durationMs: number, p0: [number, number], p1: [number, number]): Actor => ({ cls, from: start, to: start + durationMs, at: path(start, start + durationMs, p0, p1) });
const types = (events: RuleEvent[]) => events.map((e) => e.type);

describe('count lines', () => {
  const line = { name: 'main', from: [0, 240] as [number, number], to: [640, 240] as [number, number], classes: ['car', 'truck', 'bus'] as ObjectClass[], directions: { in: 'southbound', out: 'northbound' }, events: true };

  it('7 cars up, 3 cars down, 2 people and a car idling on the line: exactly 7 northbound, 3 southbound', () => {
    const actors: Actor[] = [
      ...Array.from({ length: 7 }, (_, i) => drive('car', i * 2000, 3500, [100 + (i % 3) * 60, 460], [100 + (i % 3) * 60, 20])),
      ...Array.from({ length: 3 }, (_, i) => drive('car', 500 + i * 3000, 3500, [500, 20], [500, 460])),
      drive('person', 1000, 4000, [350, 460], [350, 20]),
      drive('person', 6000, 4000, [420, 20], [420, 460]),
      { cls: 'car', from: 0, to: 15_000, at: () => [600, 240] }, // standing on the line, ±1 px jitter
    ];
    const { crossings, events } = runScene(actors, { lines: [line] }, 16_000);
    const count = (direction: string) => crossings.filter((c) => c.direction === direction).length;
    expect(count('northbound')).toBe(7);
    expect(count('southbound')).toBe(3);
    expect(crossings.every((c) => c.class === 'car' && c.line === 'main')).toBe(true);
    expect(new Set(crossings.map((c) => c.trackId)).size).toBe(10);
    expect(types(events)).toEqual(new Array(10).fill('line_crossing'));
  });

  it('a crossing outside the segment does not count; each class is counted under its voted class', () => {
    const short = { name: 'short', from: [200, 240] as [number, number], to: [400, 240] as [number, number] };
    const { crossings } = runScene([drive('car', 0, 3000, [500, 460], [500, 20]), drive('truck', 0, 3000, [300, 460], [300, 20]), drive('bicycle', 1000, 3000, [250, 20], [250, 460])], { lines: [short] }, 5000);
    // truck crosses y = 240 at 1.5 s going up (out), bicycle at 2.5 s going down (in); the car passes beside the segment
    expect(crossings.map((c) => [c.class, c.direction])).toEqual([['truck', 'out'], ['bicycle', 'in']]);
  });
});

describe('lanes: stopped vehicle, wrong way, queue', () => {
  const lane = { name: 'lane-1', polygon: [[200, 0], [440, 0], [440, 480], [200, 480]] as Array<[number, number]>, headingDeg: 0, stoppedS: 20 };

  it('stopped vehicle fires once for a 25 s stop, not for a 10 s stop or slow traffic', () => {
    const stopAndGo = (start: number, stopMs: number, x: number): Actor => ({
      cls: 'car',
      from: start,
      to: start + 2000 + stopMs + 2000,
      at: (t) => (t < start + 2000 ? path(start, start + 2000, [x, 470], [x, 250])(t) : t < start + 2000 + stopMs ? [x, 250] : path(start + 2000 + stopMs, start + 4000 + stopMs, [x, 250], [x, 10])(t)),
    });
    const { events } = runScene(
      [stopAndGo(0, 25_000, 260), stopAndGo(0, 10_000, 380), drive('car', 0, 29_000, [320, 470], [320, 10])], // the last one crawls at ~16 px/s
      { lanes: [lane] },
      30_000,
    );
    const stopped = events.filter((e) => e.type === 'stopped_vehicle');
    expect(stopped).toHaveLength(1);
    expect(stopped[0]!.durationS).toBeGreaterThanOrEqual(20);
    expect(stopped[0]!.at).toBeGreaterThanOrEqual(22_000);
    expect(stopped[0]!.at).toBeLessThanOrEqual(22_500);
    expect(events.filter((e) => e.type === 'wrong_way')).toHaveLength(0);
  });

  it('wrong way fires once for a car driving against the lane, not for cars going the right way', () => {
    const { events } = runScene([drive('car', 0, 3000, [260, 470], [260, 10]), drive('car', 500, 3000, [380, 10], [380, 470]), drive('truck', 2000, 3000, [320, 470], [320, 10])], { lanes: [lane] }, 6000);
    const wrong = events.filter((e) => e.type === 'wrong_way');
    expect(wrong).toHaveLength(1);
    expect(wrong[0]).toMatchObject({ class: 'car', severity: 'critical', rule: 'lane-1' });
    expect(wrong[0]!.attrs!.headingDeg).toBe(180);
  });

  it('a short reverse (0.5 s) is not wrong-way driving', () => {
    const reverse: Actor = { cls: 'car', from: 0, to: 4000, at: (t) => (t < 2000 ? [300, 400 - t * 0.1] : t < 2500 ? [300, 200 + (t - 2000) * 0.1] : [300, 250]) };
    expect(runScene([reverse], { lanes: [lane] }, 4000).events.filter((e) => e.type === 'wrong_way')).toHaveLength(0);
  });

  it('queue: 4 cars stopping nose to tail raise one queue_length with its length on the ground', () => {
    // 10 px = 1 m, image y → south
    const h = computeHomography([{ image: [0, 0], ground: [0, 48] }, { image: [640, 0], ground: [64, 48] }, { image: [640, 480], ground: [64, 0] }, { image: [0, 480], ground: [0, 0] }]);
    const cars = [0, 1, 2, 3].map((i) => ({ cls: 'car' as const, from: i * 1500, to: 20_000, at: (t: number) => path(i * 1500, i * 1500 + 2000, [320, 470], [320, 100 + i * 60])(t) }));
    const { events, snapshots } = runScene(cars, { lanes: [{ name: 'lane-1', polygon: lane.polygon, queue: { minVehicles: 3, head: [320, 100] } }] }, 12_000, { homography: h });
    const queue = events.filter((e) => e.type === 'queue_length');
    expect(queue).toHaveLength(1);
    expect(queue[0]!.count).toBe(3);
    expect(snapshots.at(-1)!.queues[0]).toMatchObject({ lane: 'lane-1', vehicles: 4 });
    // last car stands 180 px = 18 m behind the head (±0.2 m of jitter)
    expect(snapshots.at(-1)!.queues[0]!.lengthM).toBeCloseTo(18, 0);
  });
});

describe('zones', () => {
  const square = [[100, 100], [300, 100], [300, 300], [100, 300]] as Array<[number, number]>;

  it('restricted area: one intrusion per person, loitering once after 10 s, dwell on leaving, cars ignored', () => {
    const person = (start: number, stayMs: number, x: number): Actor => ({
      cls: 'person',
      from: start,
      to: start + stayMs + 2000,
      at: (t) => (t < start + 1000 ? path(start, start + 1000, [x, 380], [x, 250])(t) : t < start + 1000 + stayMs ? [x + Math.sin(t / 500) * 5, 250] : path(start + 1000 + stayMs, start + 2000 + stayMs, [x, 250], [x, 380])(t)),
    });
    const { events } = runScene([person(0, 12_000, 150), person(2000, 3000, 250), drive('car', 0, 3000, [200, 460], [200, 20])], { zones: [{ name: 'depot', polygon: square, classes: ['person'], restricted: true, loiterS: 10, dwellEventS: 5 }] }, 16_000);
    expect(events.filter((e) => e.type === 'intrusion').map((e) => e.class)).toEqual(['person', 'person']);
    const loiter = events.filter((e) => e.type === 'loitering');
    expect(loiter).toHaveLength(1);
    expect(loiter[0]!.durationS).toBeGreaterThanOrEqual(10);
    const dwell = events.filter((e) => e.type === 'dwell');
    expect(dwell).toHaveLength(1); // the 3 s visitor stays under dwellEventS
    // entered at ~0.6 s (y crosses 300), left at ~13.4 s: 12.8 s ± a frame
    expect(dwell[0]!.durationS!).toBeGreaterThan(12.4);
    expect(dwell[0]!.durationS!).toBeLessThan(13.2);
  });

  it('occupancy and crowd fire once when the third person is in, and re-arm only after the crowd thins', () => {
    const stroll = (i: number) => ({ cls: 'person' as const, from: i * 1000, to: 8000, at: path(i * 1000, i * 1000 + 1000, [140 + i * 40, 380], [140 + i * 40, 200]) });
    const { events, snapshots } = runScene([0, 1, 2, 3].map(stroll), { zones: [{ name: 'plaza', polygon: square, maxOccupancy: 3, crowd: { minPersons: 3 } }] }, 7000);
    expect(types(events)).toEqual(['zone_occupancy', 'crowd_density']);
    expect(events[0]!.count).toBe(3);
    expect(snapshots.at(-1)!.zoneOccupancy).toBe(4);
  });
});
