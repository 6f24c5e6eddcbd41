import type { LonLat } from '../city/geo.js';
import { createRandom } from '../random.js';
import { HK_OFFSET_MS, localTime } from './profile.js';

export interface Venue {
  name: string;
  district: string;
  location: LonLat;
  /** Largest crowd the venue holds. */
  capacity: number;
}

/** Real venues that draw crowds (positions approximate). */
export const VENUES: readonly Venue[] = [
  { name: 'Hong Kong Stadium', district: 'Wan Chai', location: [114.1906, 22.2773], capacity: 40_000 },
  { name: 'Happy Valley Racecourse', district: 'Wan Chai', location: [114.1826, 22.2723], capacity: 55_000 },
  { name: 'Victoria Park', district: 'Wan Chai', location: [114.1884, 22.2823], capacity: 100_000 },
  { name: 'Kai Tak Sports Park', district: 'Kowloon City', location: [114.2007, 22.3262], capacity: 50_000 },
  { name: 'Hong Kong Coliseum', district: 'Kowloon City', location: [114.1822, 22.3015], capacity: 12_500 },
  { name: 'Tsim Sha Tsui waterfront', district: 'Yau Tsim Mong', location: [114.1722, 22.2936], capacity: 60_000 },
  { name: 'Sha Tin Racecourse', district: 'Sha Tin', location: [114.2036, 22.4006], capacity: 85_000 },
  { name: 'AsiaWorld-Expo', district: 'Islands', location: [113.9427, 22.3236], capacity: 14_000 },
];

export interface PublicEvent {
  id: string;
  venue: Venue;
  startMs: number;
  endMs: number;
  crowd: number;
}

/** Public events on one Hong Kong day (dayIndex from localTime): evening shows, more at weekends. */
export function publicEventsOnDay(seed: number, dayIndex: number): PublicEvent[] {
  const dayOfWeek = (dayIndex + 4) % 7;
  const weekend = dayOfWeek === 0 || dayOfWeek === 6;
  const random = createRandom(seed).fork(`events:${dayIndex}`);
  const events: PublicEvent[] = [];
  for (const venue of VENUES) {
    if (!random.chance(weekend ? 0.3 : 0.08)) continue;
    const startHour = weekend && random.chance(0.4) ? random.range(13, 16) : random.range(18.5, 20.5);
    const startMs = dayIndex * 86_400_000 - HK_OFFSET_MS + Math.round(startHour * 60) * 60_000;
    events.push({
      id: `ev-${dayIndex}-${venue.name.toLowerCase().replace(/[^a-z]+/g, '-')}`,
      venue,
      startMs,
      endMs: startMs + Math.round(random.range(2, 4) * 60) * 60_000,
      crowd: Math.round(venue.capacity * random.range(0.3, 1)),
    });
  }
  return events;
}

/** How strongly a district is affected at a time: 0 … 1, ramping up an hour before and down an hour after. */
export function eventActivity(seed: number, district: string, timeMs: number): { activity: number; event: PublicEvent | undefined } {
  const { dayIndex } = localTime(timeMs);
  let best = { activity: 0, event: undefined as PublicEvent | undefined };
  for (const event of [...publicEventsOnDay(seed, dayIndex - 1), ...publicEventsOnDay(seed, dayIndex)]) {
    if (event.venue.district !== district) continue;
    const ramp = 3_600_000;
    const activity =
      timeMs < event.startMs - ramp || timeMs > event.endMs + ramp
        ? 0
        : timeMs < event.startMs
          ? 1 - (event.startMs - timeMs) / ramp
          : timeMs <= event.endMs
            ? 1
            : 1 - (timeMs - event.endMs) / ramp;
    const weighted = activity * Math.min(1, event.crowd / 40_000);
    if (weighted > best.activity) best = { activity: weighted, event };
  }
  return best;
}
