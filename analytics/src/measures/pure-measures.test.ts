import { describe, expect, it } from 'vitest';
import { hk, hkIso } from '../testing/fixture.js';
import { hourOfWeekProfile } from './hour-of-week.js';
import { peakHourOfDay, peakHours } from './peak-hour.js';
import { comparisonRange, pairGroups, periodChange } from './period-change.js';
import { rankHotspots } from './hotspots.js';
import { volumeMeasure } from './volume.js';
import { speedMeasure } from './speed.js';

const q = (time: string, volume: number, date = '2024-03-04') => ({ startMs: hk(date, time), volume });

describe('peak hour and peak-hour factor', () => {
  it('finds the busiest 60 minutes on 15-minute steps and PHF = V60 / (4 × V15max)', () => {
    const peak = peakHourOfDay([q('07:45', 50), q('08:00', 100), q('08:15', 150), q('08:30', 120), q('08:45', 130), q('09:00', 40)]);
    // 08:00–09:00: 100 + 150 + 120 + 130 = 500; busiest quarter 150 → PHF 500 / 600.
    expect(peak).toEqual({ date: '2024-03-04', peakHourStart: hkIso('2024-03-04', '08:00'), peakHourVolume: 500, peak15Volume: 150, peakHourFactor: 500 / 600, dayVolume: 590 });
  });
  it('counts a missing quarter as zero, keeps the hour inside the day, and prefers the earliest tie', () => {
    const peak = peakHourOfDay([q('06:00', 10), q('06:30', 10), q('23:45', 20)]);
    expect(peak?.peakHourStart).toBe(hkIso('2024-03-04', '06:00'));
    expect(peak?.peakHourVolume).toBe(20);
    expect(peak?.peakHourFactor).toBe(0.5);
  });
  it('splits by Hong Kong day and group', () => {
    const rows = [
      { ...q('08:00', 10), group: 'a' },
      { ...q('08:00', 5, '2024-03-05'), group: 'a' },
      { ...q('09:00', 7), group: 'b' },
    ];
    expect(peakHours(rows).map((p) => [p.date, p.group, p.peakHourVolume])).toEqual([
      ['2024-03-04', 'a', 10],
      ['2024-03-04', 'b', 7],
      ['2024-03-05', 'a', 5],
    ]);
  });
  it('an empty day has no peak hour', () => {
    expect(peakHourOfDay([])).toBeNull();
  });
});

describe('hour-of-week profile', () => {
  it('means over the hours that had readings, by Hong Kong day of week and hour', () => {
    const rows = [
      { bucket: hkIso('2024-03-04', '08:00'), group: null, sums: { samples: 12, count_car: 100, speed_sum: 480, speed_n: 12 } },
      { bucket: hkIso('2024-03-11', '08:00'), group: null, sums: { samples: 12, count_car: 200, count_bus: 10, speed_sum: 600, speed_n: 12 } },
      { bucket: hkIso('2024-03-10', '23:00'), group: null, sums: { samples: 1, count_person: 9 } },
      { bucket: hkIso('2024-03-12', '08:00'), group: null, sums: { samples: 0 } },
    ];
    expect(hourOfWeekProfile(rows)).toEqual([
      { group: null, isoDayOfWeek: 1, hour: 8, hours: 2, motorVehiclesPerHour: 155, personsPerHour: 0, speedKmhAvg: 45 },
      { group: null, isoDayOfWeek: 7, hour: 23, hours: 1, motorVehiclesPerHour: 0, personsPerHour: 9, speedKmhAvg: null },
    ]);
  });
});

describe('period-over-period change', () => {
  it('compares with the week before or the period before', () => {
    const range = { fromMs: hk('2024-03-04'), toMs: hk('2024-03-06') };
    expect(comparisonRange(range, 'week')).toEqual({ fromMs: hk('2024-02-26'), toMs: hk('2024-02-28') });
    expect(comparisonRange(range, 'period')).toEqual({ fromMs: hk('2024-03-02'), toMs: hk('2024-03-04') });
  });
  it('change and percentage; null where there is nothing to compare', () => {
    expect(periodChange(240, 60)).toEqual({ current: 240, previous: 60, change: 180, changePct: 300 });
    expect(periodChange(5, 0)).toEqual({ current: 5, previous: 0, change: 5, changePct: null });
    expect(pairGroups(new Map([['a', 1]]), new Map([['b', 2]]))).toEqual([
      { group: 'a', current: 1, previous: null, change: null, changePct: null },
      { group: 'b', current: null, previous: 2, change: null, changePct: null },
    ]);
  });
});

describe('derivations', () => {
  it('volume totals motor vehicles only', () => {
    expect(volumeMeasure.derive({ count_car: 3, count_bicycle: 4, count_person: 5, count_bus: null }, {})).toEqual({
      person: 5, bicycle: 4, car: 3, motorcycle: 0, bus: 0, truck: 0, unclassified: 0, motorVehicles: 3,
    });
  });
  it('volume adds the vehicles of readings without classes, unless classes are asked for', () => {
    // `volume` here is already Σ volume of the classless readings (the SQL filters them).
    expect(volumeMeasure.derive({ count_car: 3, count_bus: 1, volume: 40 }, {})).toEqual({
      person: 0, bicycle: 0, car: 3, motorcycle: 0, bus: 1, truck: 0, unclassified: 40, motorVehicles: 44,
    });
    expect(volumeMeasure.derive({ count_car: 3, volume: 40 }, { classes: ['car'] })).toEqual({ car: 3, motorVehicles: 3 });
    expect(volumeMeasure.fields({})).toContain('volume');
    expect(volumeMeasure.fields({ classes: ['car'] })).toEqual(['count_car']);
  });
  it('speed is null without readings', () => {
    expect(speedMeasure.derive({ speed_sum: null, speed_n: 0 }, {})).toEqual({ speedKmhAvg: null, speedSamples: 0, congestionIndex: null });
  });
  it('hot spots: mean + 2 sd and at least 3', () => {
    const positions = [
      ...Array.from({ length: 9 }, (_, i) => ({ lat: 22.3 + i * 0.02, lon: 114.1, incidents: 1, severe: 0 })),
      { lat: 22.5, lon: 114.2, incidents: 12, severe: 2 },
    ];
    const ranked = rankHotspots(positions, 8);
    expect(ranked[0]).toMatchObject({ rank: 1, incidents: 12, severe: 2, share: 12 / 21, isHotspot: true });
    expect(ranked.filter((h) => h.isHotspot)).toHaveLength(1);
  });
});
