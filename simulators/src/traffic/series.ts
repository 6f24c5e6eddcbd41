import type { DeviceSite } from '../city/city.js';
import { createRandom } from '../random.js';
import { measureSite } from './measure.js';

export const FIVE_MINUTES_MS = 300_000;

export interface SeriesPoint {
  /** End of the five-minute interval, ms since the epoch. */
  timeMs: number;
  /** Vehicles in the interval. */
  flow: number;
  speedKmh: number;
}

/**
 * Five-minute flow and speed of one site over `intervals` steps from startMs (aligned down to five
 * minutes): what a loop detector would report, with rain, public events, incidents and noise.
 */
export function simulateSeries(site: DeviceSite, startMs: number, intervals: number, seed: number, incidentsPerHour = 0.2): SeriesPoint[] {
  const random = createRandom(seed).fork(`series:${site.id}:${startMs}`);
  const first = Math.floor(startMs / FIVE_MINUTES_MS) * FIVE_MINUTES_MS;
  const out: SeriesPoint[] = [];
  for (let i = 1; i <= intervals; i++) {
    const timeMs = first + i * FIVE_MINUTES_MS;
    const m = measureSite(site, timeMs, 300, { seed, random, incidentsPerHour });
    out.push({ timeMs, flow: m.flow, speedKmh: m.speedKmhAvg });
  }
  return out;
}
