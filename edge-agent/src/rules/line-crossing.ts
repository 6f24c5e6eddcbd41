import { distanceToLine, segmentsIntersect, sideOfLine } from './geometry.js';
import type { Crossing, LineRule, Point, RuleEvent, RuleFrame } from './types.js';

interface TrackSide {
  side: -1 | 1;
  point: Point;
  counted: Set<string>;
}

/**
 * Directional count line. A track's ground point (bottom-centre of its box) must pass from one side to the
 * other through the segment itself; points within hysteresisPx of the line have no side, so jitter on the
 * line does not count. Each track counts at most once per direction.
 */
export class LineCounter {
  private readonly tracks = new Map<number, TrackSide>();
  private readonly dirIn: string;
  private readonly dirOut: string;

  constructor(readonly rule: LineRule, private readonly hysteresisPx = 2) {
    this.dirIn = rule.directions?.in ?? 'in';
    this.dirOut = rule.directions?.out ?? 'out';
  }

  update(frame: RuleFrame): { crossings: Crossing[]; events: RuleEvent[] } {
    const { rule } = this;
    const crossings: Crossing[] = [];
    const events: RuleEvent[] = [];
    for (const track of frame.active) {
      const last = track.history.at(-1);
      if (!last || track.id === 0) continue;
      const p: Point = [last.x, last.y];
      if (distanceToLine(rule.from, rule.to, p) < this.hysteresisPx) continue;
      const side = sideOfLine(rule.from, rule.to, p) < 0 ? -1 : 1;
      const prev = this.tracks.get(track.id);
      if (!prev) {
        this.tracks.set(track.id, { side, point: p, counted: new Set() });
        continue;
      }
      if (prev.side !== side && segmentsIntersect(prev.point, p, rule.from, rule.to)) {
        const direction = prev.side < 0 ? this.dirIn : this.dirOut;
        const wanted = !rule.classes || rule.classes.includes(track.class);
        if (wanted && !prev.counted.has(direction)) {
          prev.counted.add(direction);
          const speedKmh = track.motion?.speedKmh;
          crossings.push({ line: rule.name, approach: rule.approach ?? rule.name, direction, class: track.class, trackId: track.id, at: frame.t, ...(speedKmh === undefined ? {} : { speedKmh }) });
          if (rule.events) {
            events.push({
              type: 'line_crossing',
              severity: 'info',
              rule: rule.name,
              at: frame.t,
              class: track.class,
              trackId: track.id,
              confidence: track.score,
              direction,
              ...(speedKmh === undefined ? {} : { speedKmh: Math.min(400, speedKmh) }),
            });
          }
        }
      }
      prev.side = side;
      prev.point = p;
    }
    for (const track of frame.ended) this.tracks.delete(track.id);
    return { crossings, events };
  }
}
