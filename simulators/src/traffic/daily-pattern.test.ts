import { describe, expect, it } from 'vitest';
import { buildCity, selectSites } from '../city/city.js';
import { createRandom } from '../random.js';
import { demandFactor, localTime } from './profile.js';
import { measureSite } from './measure.js';

/** The stated bound: on a weekday the 08:00–09:00 volume is at least this many times the 03:00–04:00 volume. */
export const PEAK_TO_NIGHT_MIN_RATIO = 5;

describe('daily traffic pattern', () => {
  const city = buildCity({ seed: 11 });
  const loops = selectSites(city, 200).filter((s) => s.kind === 'loop_detector');
  // Tuesday 2025-03-04 in Hong Kong; 00:00 HKT is 16:00 UTC the day before.
  const midnightHk = Date.UTC(2025, 2, 3, 16, 0);

  it('knows Hong Kong local time', () => {
    expect(localTime(midnightHk)).toMatchObject({ hour: 0, dayOfWeek: 2, weekend: false });
    expect(localTime(midnightHk + 5 * 86_400_000).weekend).toBe(true);
  });

  const volume = (fromHour: number, toHour: number, dayOffset = 0): number => {
    let total = 0;
    for (const site of loops) {
      const random = createRandom(site.id);
      for (let t = midnightHk + dayOffset * 86_400_000 + fromHour * 3_600_000 + 300_000; t <= midnightHk + dayOffset * 86_400_000 + toHour * 3_600_000; t += 300_000) {
        total += measureSite(site, t, 300, { seed: 11, random, incidentsPerHour: 0 }).flow;
      }
    }
    return total;
  };

  it(`has a morning peak at least ${PEAK_TO_NIGHT_MIN_RATIO}x the 3 a.m. volume on a weekday`, () => {
    expect(loops.length).toBeGreaterThan(50);
    const peak = volume(8, 9);
    const night = volume(3, 4);
    expect(night).toBeGreaterThan(0);
    expect(peak / night).toBeGreaterThan(PEAK_TO_NIGHT_MIN_RATIO);
    expect(volume(18, 19) / night).toBeGreaterThan(PEAK_TO_NIGHT_MIN_RATIO);
  });

  it('has no sharp morning peak on a Sunday, and slower traffic at the weekday peak than at night', () => {
    expect(demandFactor(midnightHk + 5 * 86_400_000 + 8.5 * 3_600_000, 'cbd')).toBeLessThan(demandFactor(midnightHk + 8.5 * 3_600_000, 'cbd') * 0.8);
    const site = loops.find((s) => s.roadClass === 'expressway')!;
    const speedAt = (h: number) => measureSite({ ...site, siteWeight: 1.2 }, midnightHk + h * 3_600_000, 300, { seed: 11, random: createRandom(1), incidentsPerHour: 0 }).speedKmhAvg;
    expect(speedAt(8.5)).toBeLessThan(speedAt(3.5) * 0.9);
  });
});

describe('public events and crowds', () => {
  it('makes crowd incidents likelier in a district while an event is on', async () => {
    const { publicEventsOnDay } = await import('./public-events.js');
    const { incidentsStarting } = await import('./incidents.js');
    const city = buildCity({ seed: 21 });
    // Find a day with an event, and a camera in its district.
    let found: { start: number; end: number; district: string } | undefined;
    for (let day = 20_000; day < 20_060 && !found; day++) {
      const event = publicEventsOnDay(21, day).find((e) => city.sites.some((s) => s.kind === 'camera' && s.district === e.venue.district));
      if (event) found = { start: event.startMs, end: event.endMs, district: event.venue.district };
    }
    expect(found).toBeDefined();
    const cameras = city.sites.filter((s) => s.kind === 'camera' && s.district === found!.district);
    const crowdsDuring = cameras.flatMap((c) => incidentsStarting(21, c, found!.start, found!.end, 6)).filter((i) => i.type === 'crowd_density').length;
    const span = found!.end - found!.start;
    const crowdsBefore = cameras.flatMap((c) => incidentsStarting(21, c, found!.start - 86_400_000 * 7, found!.start - 86_400_000 * 7 + span, 6)).filter((i) => i.type === 'crowd_density').length;
    expect(crowdsDuring).toBeGreaterThan(crowdsBefore);
  });
});
