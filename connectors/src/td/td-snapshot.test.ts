import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readingMessageId } from '../derived-id.js';
import { createTdFeed } from './td-feed.js';
import { parseTdXml } from './td-xml.js';
import type { TdDetectorAggregate } from './td-types.js';

const SNAPSHOT = fileURLToPath(new URL('../../data/hk/td_raw_speed_volume_2024-04-06_2127.xml', import.meta.url));
const bytes = readFileSync(SNAPSHOT);
const feed = createTdFeed();
const NOW_MS = Date.UTC(2026, 0, 1);
const snapshot = feed.read(bytes, { nowMs: NOW_MS, source: SNAPSHOT });
const [first, second] = snapshot.periods;

function reading(period: typeof first, siteId: string): TdDetectorAggregate | undefined {
  return period?.readings.find((r) => r.siteId === siteId);
}

describe('TD feed on the real snapshot of 2024-04-06 21:27 HKT', () => {
  it('reads two whole periods without a single problem', () => {
    expect(snapshot.problems).toEqual([]);
    expect(snapshot.periods.map((p) => [p.label, p.complete])).toEqual([
      ['2024-04-06 21:27:00–21:27:30 HKT', true],
      ['2024-04-06 21:27:30–21:28:00 HKT', true],
    ]);
  });

  it('times the periods as Hong Kong wall clock, UTC+8: 21:27:00 HKT is 13:27:00Z', () => {
    expect(first!.startMs).toBe(Date.UTC(2024, 3, 6, 13, 27, 0));
    expect(first!.endMs).toBe(Date.UTC(2024, 3, 6, 13, 27, 30));
    expect(second!.startMs).toBe(Date.UTC(2024, 3, 6, 13, 27, 30));
    expect(second!.endMs).toBe(Date.UTC(2024, 3, 6, 13, 28, 0));
  });

  it('counts per period: 752 and 754 detectors, 2,031 and 2,037 lanes, 116 invalid lanes each', () => {
    const counts = snapshot.periods.map((p) => ({
      detectors: p.readings.length,
      lanes: p.readings.reduce((sum, r) => sum + r.lanesValid + r.lanesInvalid, 0),
      invalid: p.readings.reduce((sum, r) => sum + r.lanesInvalid, 0),
    }));
    expect(counts).toEqual([
      { detectors: 752, lanes: 2031, invalid: 116 },
      { detectors: 754, lanes: 2037, invalid: 116 },
    ]);
  });

  it('the raw parse agrees: every lane the feed lists, and its own Y/N flag', () => {
    const raw = parseTdXml(bytes.toString('utf8'));
    expect(raw.date).toBe('2024-04-06');
    const lanes = raw.periods.map((p) => p.detectors.flatMap((d) => d.lanes));
    expect(lanes.map((l) => l.length)).toEqual([2031, 2037]);
    expect(lanes.map((l) => l.filter((lane) => !lane.validInFeed).length)).toEqual([116, 116]);
    expect(lanes.flat().filter((lane) => lane.rejected !== undefined)).toEqual([]);
  });

  it('the second period has the two detectors the first lacks', () => {
    const ids = (p: typeof first): Set<string> => new Set(p!.readings.map((r) => r.siteId));
    const [a, b] = [ids(first), ids(second)];
    expect([...b].filter((id) => !a.has(id)).sort()).toEqual(['AID09255', 'TDSTPTWR10001']);
    expect([...a].filter((id) => !b.has(id))).toEqual([]);
  });

  it('AID01101, 21:27:00–21:27:30, three valid lanes', () => {
    // Fast: speed 66, occ 1, vol 3 | Middle: 59, 5, 7 | Slow: 55, 0, 1 — all valid Y.
    // volume 3 + 7 + 1 = 11; speed (66·3 + 59·7 + 55·1) / 11 = (198 + 413 + 55) / 11 = 666/11 ≈ 60.55;
    // occupancy (1 + 5 + 0) / 3 = 2.
    expect(reading(first, 'AID01101')).toEqual({
      siteId: 'AID01101', direction: 'South East',
      volume: 11, speedKmh: 666 / 11, occupancyPct: 2, lanesValid: 3, lanesInvalid: 0,
    });
  });

  it('AID02118, 21:27:00–21:27:30: empty lanes (speed written as 70) weigh nothing in the speed', () => {
    // Fast 80/5/9 | Middle 1 70/0/0 | Middle 2 70/0/0 | Middle 3 65/3/3 | Slow 70/0/0 (speed/occ/vol), all Y.
    // volume 9 + 3 = 12; speed (80·9 + 65·3) / 12 = (720 + 195) / 12 = 76.25 (a plain lane mean would say 71);
    // occupancy (5 + 0 + 0 + 3 + 0) / 5 = 1.6.
    expect(reading(first, 'AID02118')).toMatchObject({ volume: 12, speedKmh: 76.25, occupancyPct: 8 / 5, lanesValid: 5, lanesInvalid: 0 });
  });

  it('AID01113, 21:27:00–21:27:30: every lane invalid (N) → volume 0, no speed, no occupancy', () => {
    // Fast 64/4/8 N | Middle 68/0/1 N | Slow 62/1/2 N: the 11 vehicles the feed lists are not counted.
    expect(reading(first, 'AID01113')).toMatchObject({ volume: 0, speedKmh: undefined, occupancyPct: undefined, lanesValid: 0, lanesInvalid: 3 });
  });

  it('AID02203: no vehicle in the first period (no speed), one in the second', () => {
    // 21:27:00: Fast 70/0/0 Y | Slow 70/0/0 Y → volume 0, speed none, occupancy (0 + 0) / 2 = 0.
    expect(reading(first, 'AID02203')).toMatchObject({ volume: 0, speedKmh: undefined, occupancyPct: 0, lanesValid: 2, lanesInvalid: 0 });
    // 21:27:30: Fast 61/1/1 Y | Slow 70/0/0 Y → volume 1, speed 61·1 / 1 = 61, occupancy (1 + 0) / 2 = 0.5.
    expect(reading(second, 'AID02203')).toMatchObject({ volume: 1, speedKmh: 61, occupancyPct: 0.5, lanesValid: 2, lanesInvalid: 0 });
  });

  it('AID04110, 21:27:30–21:28:00, five lanes', () => {
    // Fast 73/1/3 | Middle 1 70/8/13 | Middle 2 73/0/1 | Middle 3 78/2/4 | Slow 95/0/2, all Y.
    // volume 3 + 13 + 1 + 4 + 2 = 23; speed (219 + 910 + 73 + 312 + 190) / 23 = 1704/23 ≈ 74.09;
    // occupancy (1 + 8 + 0 + 2 + 0) / 5 = 2.2.
    expect(reading(second, 'AID04110')).toMatchObject({ volume: 23, speedKmh: 1704 / 23, occupancyPct: 11 / 5, lanesValid: 5, lanesInvalid: 0 });
  });

  it('every detector in the feed is in the catalogue: 786 places, 32 never seen here', () => {
    expect(feed.sites.size).toBe(786);
    const seen = new Set(snapshot.periods.flatMap((p) => p.readings.map((r) => r.siteId)));
    expect(seen.size).toBe(754);
    expect([...feed.sites.keys()].filter((id) => !seen.has(id)).length).toBe(32);
  });
});

describe('message ids from (detector, period end) on the real snapshot', () => {
  it('are distinct across the 1,506 readings, and a period repeated in the next file gets the same ids', () => {
    const idsOf = (periods: typeof snapshot.periods): string[] =>
      periods.flatMap((p) => p.readings.map((r) => readingMessageId(feed.name, 'telemetry', r.siteId, p.endMs)));
    const ids = idsOf(snapshot.periods);
    expect(ids).toHaveLength(752 + 754);
    expect(new Set(ids).size).toBe(752 + 754);
    // The next file carries 21:27:30–21:28:00 again, as its first period: the same 754 ids.
    const text = bytes.toString('utf8');
    const firstPeriod = text.indexOf('<period>');
    const nextFile = text.slice(0, firstPeriod) + text.slice(text.indexOf('<period>', firstPeriod + 1));
    const next = feed.read(Buffer.from(nextFile, 'utf8'), { nowMs: NOW_MS, source: 'next' });
    expect(next.periods[0]!.label).toBe('2024-04-06 21:27:30–21:28:00 HKT');
    expect(idsOf([next.periods[0]!]).sort()).toEqual(idsOf([second!]).sort());
  });
});
