import type { ObjectClass } from '@streetwise/protocol';
import type { Track } from '../track/byte-tracker.js';
import { pointInPolygon } from './geometry.js';
import type { Point, RuleEvent, RuleFrame, ZoneRule } from './types.js';

interface Presence {
  enteredAt: number;
  class: ObjectClass;
  loiterRaised: boolean;
  intrusionRaised: boolean;
}

const groundPoint = (t: Track): Point | undefined => {
  const last = t.history.at(-1);
  return last ? [last.x, last.y] : undefined;
};

/**
 * Zone watch: occupancy, dwell, loitering, restricted-area intrusion and crowd density. A tracked object is in
 * the zone when its ground point (bottom-centre) is; a briefly hidden (lost) track keeps its place.
 */
export class ZoneWatch {
  private readonly inside = new Map<number, Presence>();
  private occupancyRaised = false;
  private crowdRaised = false;
  /** Watched objects inside at the last update. */
  occupancy = 0;

  /** @param areaM2 zone area on the ground (with a calibration), for crowd density per m² */
  constructor(readonly rule: ZoneRule, private readonly areaM2?: number) {}

  update(frame: RuleFrame): RuleEvent[] {
    const { rule } = this;
    const events: RuleEvent[] = [];
    const watched = (t: Track) => t.id !== 0 && (!rule.classes || rule.classes.includes(t.class));
    const present = new Set<number>();
    for (const track of [...frame.active, ...frame.lost]) {
      if (!watched(track)) continue;
      const p = groundPoint(track);
      const isLost = track.state === 'lost';
      const wasInside = this.inside.has(track.id);
      // A hidden track stays where it was last seen.
      if (isLost ? !wasInside : !p || !pointInPolygon(p, rule.polygon)) continue;
      present.add(track.id);
      let presence = this.inside.get(track.id);
      if (!presence) {
        presence = { enteredAt: frame.t, class: track.class, loiterRaised: false, intrusionRaised: false };
        this.inside.set(track.id, presence);
      }
      presence.class = track.class;
      if (rule.restricted && !presence.intrusionRaised) {
        presence.intrusionRaised = true;
        events.push({ type: 'intrusion', severity: 'high', rule: rule.name, at: frame.t, class: track.class, trackId: track.id, confidence: track.score });
      }
      const stayedS = (frame.t - presence.enteredAt) / 1000;
      if (rule.loiterS !== undefined && track.class === 'person' && !presence.loiterRaised && stayedS >= rule.loiterS) {
        presence.loiterRaised = true;
        events.push({ type: 'loitering', severity: 'medium', rule: rule.name, at: frame.t, class: 'person', trackId: track.id, durationS: round1(stayedS) });
      }
    }
    for (const [id, presence] of this.inside) {
      if (present.has(id)) continue;
      this.inside.delete(id);
      const stayedS = (frame.t - presence.enteredAt) / 1000;
      if (rule.dwellEventS !== undefined && stayedS >= rule.dwellEventS) {
        events.push({ type: 'dwell', severity: 'info', rule: rule.name, at: frame.t, class: presence.class, trackId: id, durationS: round1(Math.min(86_400, stayedS)) });
      }
    }
    this.occupancy = this.inside.size;
    if (rule.maxOccupancy !== undefined) {
      if (!this.occupancyRaised && this.occupancy >= rule.maxOccupancy) {
        this.occupancyRaised = true;
        events.push({ type: 'zone_occupancy', severity: 'low', rule: rule.name, at: frame.t, count: this.occupancy });
      } else if (this.occupancyRaised && this.occupancy < rule.maxOccupancy) this.occupancyRaised = false;
    }
    if (rule.crowd) {
      const persons = [...this.inside.values()].filter((p) => p.class === 'person').length;
      const perM2 = this.areaM2 ? persons / this.areaM2 : undefined;
      const dense = persons >= rule.crowd.minPersons && (rule.crowd.minPerM2 === undefined || (perM2 !== undefined && perM2 >= rule.crowd.minPerM2));
      if (dense && !this.crowdRaised) {
        this.crowdRaised = true;
        events.push({ type: 'crowd_density', severity: 'medium', rule: rule.name, at: frame.t, class: 'person', count: persons, ...(perM2 === undefined ? {} : { attrs: { perM2: Math.round(perM2 * 100) / 100 } }) });
      } else if (!dense && this.crowdRaised && persons < rule.crowd.minPersons * 0.8) this.crowdRaised = false;
    }
    return events;
  }
}

const round1 = (v: number) => Math.round(v * 10) / 10;
