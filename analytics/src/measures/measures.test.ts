/**
 * Every measure against the real embedded TimescaleDB, on the hand-computed fixture (testing/fixture.ts).
 * One database for the whole file (start-up costs ~2.5 s).
 */
import type { Database } from '@streetwise/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bucket } from '../query/bucket.js';
import type { DeviceFilter, GroupBy } from '../query/filters.js';
import { cellOf } from '../query/h3-cells.js';
import { planQuery, type SourceRequest } from '../query/planner.js';
import { readSeries, runTelemetryMeasure } from '../query/run-telemetry-measure.js';
import { buildSeriesSql } from '../query/telemetry-series.js';
import { parseRange } from '../query/time-range.js';
import { FIXTURE_DEVICES, fixtureIncidents, fixtureTelemetry, hk, hkIso } from '../testing/fixture.js';
import { insertDevices, insertIncidents, insertTelemetry, refreshAggregates, startMigratedDatabase } from '../testing/seed.js';
import { HK_AQO, NOISE_GUIDELINE, limitFor } from './aqo.js';
import { environmentMeasure } from './environment.js';
import { countExceedances, planExceedances } from './exceedances.js';
import { HOUR_OF_WEEK_FIELDS, buildHourOfWeekSql, hourOfWeekProfile, parseHourOfWeekRows } from './hour-of-week.js';
import { footfallMeasure } from './footfall.js';
import { DEFAULT_FREE_FLOW_OPTIONS, computeFreeFlowSpeeds, listFreeFlowSpeeds, setConfiguredFreeFlow } from './free-flow.js';
import { buildPositionCountSql, parsePositionCounts, rankHotspots } from './hotspots.js';
import { buildIncidentCountSql, parseIncidentCountRows } from './incidents.js';
import { occupancyMeasure } from './occupancy.js';
import { buildKpiSql, parseKpiRows } from './operator-kpis.js';
import { speedMeasure } from './speed.js';
import type { Figures, TelemetryMeasure } from './telemetry-measure.js';
import { volumeMeasure } from './volume.js';

let db: Database;

beforeAll(async () => {
  db = await startMigratedDatabase();
  await insertDevices(db, FIXTURE_DEVICES);
  await insertTelemetry(db, fixtureTelemetry());
  await insertIncidents(db, fixtureIncidents());
  await setConfiguredFreeFlow(db, 'st-cam-1', 50);
}, 60_000);

afterAll(async () => {
  await db?.close();
});

interface Ask {
  from: string;
  to: string;
  bucket: Bucket;
  source?: SourceRequest;
  groupBy?: GroupBy;
  filter?: DeviceFilter;
}

async function measure<O, Out extends Figures>(m: TelemetryMeasure<O, Out>, options: O, ask: Ask) {
  const plan = planQuery({ range: parseRange(ask, 0), bucket: ask.bucket, source: ask.source });
  const result = await runTelemetryMeasure(db, m, options, {
    plan,
    filter: ask.filter ?? {},
    groupBy: ask.groupBy ?? 'none',
    page: { limit: 1000, offset: 0 },
    devices: FIXTURE_DEVICES.map((d) => ({ ...d, name: null })),
    h3Resolution: 8,
  });
  return { plan, ...result };
}

/** Floating-point sums added in another order differ in the last bits: compare to 12 significant digits. */
const settle = (value: unknown): unknown =>
  typeof value === 'number' ? Number(value.toPrecision(12)) : Array.isArray(value) ? value.map(settle)
    : value !== null && typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, settle(v)])) : value;

const monday = { from: hkIso('2024-03-04', '00:00'), to: hkIso('2024-03-06', '00:00') };

describe('aggregates and raw rows agree (before and after materialisation)', () => {
  const asks: Ask[] = [
    { ...monday, bucket: '1h', groupBy: 'district' },
    { ...monday, bucket: '1d', groupBy: 'device' },
    { ...monday, bucket: '15m' },
    { ...monday, bucket: 'all', groupBy: 'road' },
    { from: hkIso('2024-03-04', '08:10'), to: hkIso('2024-03-04', '09:20'), bucket: '5m', groupBy: 'kind' },
  ];
  const measures = [
    [volumeMeasure, {}],
    [speedMeasure, {}],
    [environmentMeasure, {}],
    [occupancyMeasure, {}],
  ] as const;

  async function compareAll(): Promise<void> {
    for (const ask of asks) {
      for (const [m, options] of measures) {
        const raw = await measure(m as TelemetryMeasure<object, Figures>, options, { ...ask, source: 'raw' });
        const auto = await measure(m as TelemetryMeasure<object, Figures>, options, { ...ask, source: 'auto' });
        expect(raw.plan.grain).toBe('raw');
        expect(auto.plan.grain).not.toBe('raw');
        expect(auto.rows.length).toBeGreaterThan(0);
        expect(settle(auto.rows), `${m.name} ${ask.bucket} via ${auto.plan.grain}`).toEqual(settle(raw.rows));
        // Every finer aggregate gives the same answer too.
        for (const finer of (['1h', '5m'] as const).filter((g) => g !== auto.plan.grain && (auto.plan.grain === '1d' || g === '5m'))) {
          const viaFiner = await measure(m as TelemetryMeasure<object, Figures>, options, { ...ask, source: finer });
          expect(settle(viaFiner.rows), `${m.name} ${ask.bucket} via ${finer}`).toEqual(settle(raw.rows));
        }
      }
    }
  }

  it('with real-time aggregation only (nothing materialised yet)', compareAll);
  it('after refreshing the aggregates', async () => {
    await refreshAggregates(db);
    await compareAll();
  });
});

describe('measures give the hand-computed numbers', () => {
  it('volume by class, hourly, Sha Tin', async () => {
    const r = await measure(volumeMeasure, {}, { ...monday, bucket: '1h', filter: { districts: ['R'] } });
    expect(r.plan.grain).toBe('1h');
    expect(r.rows).toEqual([
      { bucket: hkIso('2024-03-04', '08:00'), group: null, figures: { person: 60, bicycle: 0, car: 180, motorcycle: 0, bus: 24, truck: 3, unclassified: 0, motorVehicles: 207 } },
      { bucket: hkIso('2024-03-04', '09:00'), group: null, figures: { person: 60, bicycle: 0, car: 120, motorcycle: 0, bus: 24, truck: 0, unclassified: 0, motorVehicles: 144 } },
    ]);
  });

  it('volume limited to classes', async () => {
    const r = await measure(volumeMeasure, { classes: ['truck', 'car'] }, { ...monday, bucket: 'all', filter: { devices: ['st-loop-1'] } });
    expect(r.rows).toEqual([{ bucket: monday.from, group: null, figures: { car: 60, truck: 3, motorVehicles: 63 } }]);
  });

  it('a loop detector without classes counts its volume, from raw rows and every aggregate alike', async () => {
    // Kwun Tong, Tuesday: kt-cam-1 car 12 × 10, truck 12 × 2; kt-td-1 volume 30 + … + 41 = 426 without
    // classes, and one reading with bus 4 and volume 50, whose classes count (4, not 50).
    const tue = { from: hkIso('2024-03-05'), to: hkIso('2024-03-06') };
    const none = { person: 0, bicycle: 0, car: 0, motorcycle: 0, bus: 0, truck: 0, unclassified: 0 };
    for (const source of ['raw', '5m', '1h', '1d'] as const) {
      const byDevice = await measure(volumeMeasure, {}, { ...tue, bucket: '1d', groupBy: 'device', filter: { districts: ['J'] }, source });
      expect(byDevice.plan.grain).toBe(source);
      expect(byDevice.rows, source).toEqual([
        { bucket: tue.from, group: 'kt-cam-1', figures: { ...none, car: 120, truck: 24, motorVehicles: 144 } },
        { bucket: tue.from, group: 'kt-td-1', figures: { ...none, bus: 4, unclassified: 426, motorVehicles: 430 } },
      ]);
      const byDistrict = await measure(volumeMeasure, {}, { ...tue, bucket: '1d', groupBy: 'district', filter: { districts: ['J'] }, source });
      expect(byDistrict.rows, source).toEqual([{ bucket: tue.from, group: 'J', figures: { ...none, car: 120, bus: 4, truck: 24, unclassified: 426, motorVehicles: 574 } }]);
    }
    const hourly = await measure(volumeMeasure, {}, { ...tue, bucket: '1h', filter: { devices: ['kt-td-1'] } });
    expect(hourly.rows).toEqual([
      { bucket: hkIso('2024-03-05', '07:00'), group: null, figures: { ...none, unclassified: 426, motorVehicles: 426 } },
      { bucket: hkIso('2024-03-05', '08:00'), group: null, figures: { ...none, bus: 4, motorVehicles: 4 } },
    ]);
  });

  it('average speed is weighted by reading, not an average of averages; congestion uses free-flow', async () => {
    const r = await measure(speedMeasure, {}, { from: hkIso('2024-03-04', '08:00'), to: hkIso('2024-03-04', '09:00'), bucket: '1h', groupBy: 'district' });
    // (12 × 40 + 3 × 100) / 15 = 52, not (40 + 100) / 2; st-cam-1: 40 / 50 = 0.8, st-loop-1 has no free-flow speed.
    expect(settle(r.rows)).toEqual([{ bucket: hkIso('2024-03-04', '08:00'), group: 'R', figures: { speedKmhAvg: 52, speedSamples: 15, congestionIndex: 0.8 } }]);
  });

  it('days are Hong Kong days: 23:55 Monday and 00:00 Tuesday fall in different buckets', async () => {
    const r = await measure(volumeMeasure, { classes: ['car'] }, { ...monday, bucket: '1d', filter: { devices: ['ytm-loop-1'] } });
    expect(r.rows.map((row) => [row.bucket, row.figures.car])).toEqual([
      ['2024-03-03T16:00:00.000Z', 7],
      ['2024-03-04T16:00:00.000Z', 58],
    ]);
  });

  it('a week bucket starts on Monday 00:00 Hong Kong time', async () => {
    const r = await measure(volumeMeasure, { classes: ['car'] }, { from: hkIso('2024-02-26'), to: hkIso('2024-03-11'), bucket: '1w', filter: { devices: ['st-cam-1'] } });
    expect(r.rows.map((row) => [row.bucket, row.figures.car])).toEqual([
      [hkIso('2024-02-26'), 60],
      [hkIso('2024-03-04'), 240],
    ]);
  });

  it('an empty range has no rows; a range inside one bucket gives that bucket', async () => {
    const empty = await measure(volumeMeasure, {}, { from: monday.from, to: monday.from, bucket: '1h' });
    expect(empty.rows).toEqual([]);
    expect(empty.total).toBe(0);
    const one = await measure(footfallMeasure, {}, { from: hkIso('2024-03-04', '08:20'), to: hkIso('2024-03-04', '08:40'), bucket: '1h' });
    expect(one.plan.range).toEqual({ fromMs: hk('2024-03-04', '08:00'), toMs: hk('2024-03-04', '09:00') });
    expect(one.rows).toEqual([{ bucket: hkIso('2024-03-04', '08:00'), group: null, figures: { persons: 60 } }]);
  });

  it('zone occupancy and environment', async () => {
    const occ = await measure(occupancyMeasure, {}, { ...monday, bucket: '1h', filter: { devices: ['st-cam-1'] } });
    expect(occ.rows.map((r) => r.figures)).toEqual([
      { zoneOccupancyMax: 11, occupancyPctAvg: 20, queueLengthMMax: null },
      { zoneOccupancyMax: 23, occupancyPctAvg: 20, queueLengthMMax: null },
    ]);
    const env = await measure(environmentMeasure, {}, { ...monday, bucket: '1d', filter: { kinds: ['air_quality'] } });
    expect(env.rows.map((r) => r.figures)).toEqual([
      { pm25Avg: 60, pm25Max: 60, no2Avg: (21 * 100 + 3 * 250) / 24, no2Max: 250, noiseDbaAvg: (22 * 60 + 2 * 72) / 24, noiseDbaMax: 72 },
      { pm25Avg: 80, pm25Max: 80, no2Avg: 100, no2Max: 100, noiseDbaAvg: 60, noiseDbaMax: 60 },
    ]);
  });

  it('groups by H3 cell (devices rolled up to their resolution-8 cells)', async () => {
    const r = await measure(volumeMeasure, { classes: ['car'] }, { ...monday, bucket: 'all', groupBy: 'h3' });
    const expected = [
      [cellOf(22.3817, 114.1885, 8), 240],
      [cellOf(22.41, 114.21, 8), 60],
      [cellOf(22.312, 114.171, 8), 65],
      [cellOf(22.3131, 114.2258, 8), 120],
    ].sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1));
    expect(r.rows.map((row) => [row.group, row.figures.car])).toEqual(expected);
  });

  it('AQO exceedances: PM2.5 24-h (≥ 18 h per day), NO2 1-h, annual mean, noise', async () => {
    const range = parseRange(monday, 0);
    const pm25 = limitFor('pm25', '24h');
    const no2 = limitFor('no2', '1h');
    const pm25Annual = limitFor('pm25', 'annual');
    expect(pm25 && no2 && pm25Annual).toBeTruthy();
    const ask = (_bucket: Bucket, limit: NonNullable<typeof pm25>) =>
      countExceedances(db, { plan: planExceedances(range, limit), limit, filter: {}, groupBy: 'device' });
    const [pmRow] = await ask('1d', pm25 as NonNullable<typeof pm25>);
    // Monday: 24 hourly means of 60 > 50; Tuesday: 17 hours only, not a valid day.
    expect(pmRow).toMatchObject({ group: 'ytm-aq-1', exceedances: 1, validPeriods: 1, periods: 2, maxMean: 60, allowedPerYear: 35, withinAllowance: true });
    expect(pmRow?.exceedingPeriods).toEqual([hkIso('2024-03-04')]);
    const [no2Row] = await ask('1h', no2 as NonNullable<typeof no2>);
    expect(no2Row).toMatchObject({ exceedances: 3, validPeriods: 41, maxMean: 250, allowedPerYear: 18 });
    expect(no2Row?.exceedingPeriods).toEqual([hkIso('2024-03-04', '17:00'), hkIso('2024-03-04', '18:00'), hkIso('2024-03-04', '19:00')]);
    const [annual] = await ask('1d', pm25Annual as NonNullable<typeof pm25Annual>);
    expect(annual?.meanOfPeriods).toBeCloseTo(2800 / 41, 10);
    expect(annual?.exceedances).toBe(1);
    const [noise] = await ask('1h', NOISE_GUIDELINE);
    expect(noise).toMatchObject({ exceedances: 2, maxMean: 72 });
    expect(HK_AQO.find((l) => l.pollutant === 'no2' && l.averaging === '1h')?.limit).toBe(200);
  });

  it('AQO exceedances from raw rows and from the aggregates agree', async () => {
    const range = parseRange(monday, 0);
    for (const limit of [...HK_AQO, NOISE_GUIDELINE]) {
      const viaAggregate = await countExceedances(db, { plan: planExceedances(range, limit), limit, filter: {}, groupBy: 'district' });
      const viaRaw = await countExceedances(db, { plan: planExceedances(range, limit, 'raw'), limit, filter: {}, groupBy: 'district' });
      expect(viaAggregate.length).toBeGreaterThan(0);
      expect(settle(viaAggregate), `${limit.pollutant} ${limit.averaging}`).toEqual(settle(viaRaw));
    }
  });

  it('free-flow speed: 85th percentile of night hourly mean speeds; configured values win', async () => {
    // ytm-loop-1 has 3 night hours (below the default 10): nothing computed.
    await computeFreeFlowSpeeds(db, hk('2024-03-06'));
    expect(await listFreeFlowSpeeds(db)).toEqual([{ deviceId: 'st-cam-1', speedKmh: 50, source: 'configured' }]);
    await computeFreeFlowSpeeds(db, hk('2024-03-06'), { ...DEFAULT_FREE_FLOW_OPTIONS, minHours: 3 });
    expect(await listFreeFlowSpeeds(db)).toEqual([
      { deviceId: 'st-cam-1', speedKmh: 50, source: 'configured' },
      // Hourly means 45.5, 57.5, 69.5 (readings 40…51, 52…63, 64…75): position 2 × 0.85 = 1.7 → 57.5 + 0.7 × 12.
      { deviceId: 'ytm-loop-1', speedKmh: 65.9, source: 'night_p85' },
    ]);
  });

  it('incident counts by district, and hot spots on H3 cells', async () => {
    const plan = planQuery({ range: parseRange(monday, 0), bucket: '1d', source: 'raw' });
    const sql = buildIncidentCountSql({ plan, filter: {}, groupBy: 'district', page: { limit: 100, offset: 0 } });
    const counts = parseIncidentCountRows((await db.query<Record<string, unknown>>(sql.text, sql.values)).rows);
    expect(counts.rows).toEqual([
      { bucket: hkIso('2024-03-04'), group: 'E', incidents: 1, severe: 1, unresolved: 1 },
      { bucket: hkIso('2024-03-04'), group: 'R', incidents: 3, severe: 0, unresolved: 2 },
    ]);
    const pos = buildPositionCountSql(plan.range, {});
    const spots = rankHotspots(parsePositionCounts((await db.query<Record<string, unknown>>(pos.text, pos.values)).rows), 9);
    expect(spots.map((s) => [s.rank, s.incidents, s.severe, s.share])).toEqual([[1, 3, 0, 0.75], [2, 1, 1, 0.25]]);
  });

  it('operator KPIs by district and type: p50/p90/mean seconds', async () => {
    const sql = buildKpiSql(parseRange(monday, 0), { districts: ['R'] }, 'district_type');
    const [row] = parseKpiRows((await db.query<Record<string, unknown>>(sql.text, sql.values)).rows);
    expect(row).toEqual({
      district: 'R',
      type: 'collision',
      incidents: 3,
      // 60, 120, 300: median 120; p90 at position 1.8 → 120 + 0.8 × 180 = 264; mean 160.
      acknowledge: { count: 3, p50S: 120, p90S: 264, meanS: 160 },
      dispatch: { count: 2, p50S: 750, p90S: 870, meanS: 750 },
      resolve: { count: 1, p50S: 3600, p90S: 3600, meanS: 3600 },
    });
  });

  it('day buckets with a fixed +08 origin equal time_bucket(…, \'Asia/Hong_Kong\')', async () => {
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM generate_series('2023-12-25T00:00Z'::timestamptz, '2024-12-31T00:00Z', '97 minutes') AS g(t)
       WHERE time_bucket('1 day', t, TIMESTAMPTZ '2000-01-03 00:00:00+08') <> time_bucket('1 day', t, 'Asia/Hong_Kong')
          OR time_bucket('7 days', t, TIMESTAMPTZ '2000-01-03 00:00:00+08') <> time_bucket('1 week', t, 'Asia/Hong_Kong')`,
    );
    expect(rows[0]?.n).toBe(0);
  });

  it('hour-of-week profile in SQL equals the JS profile over hourly rows', async () => {
    const plan = planQuery({ range: parseRange({ from: hkIso('2024-02-26'), to: hkIso('2024-03-06') }, 0), bucket: '1h' });
    for (const groupBy of ['none', 'district', 'device'] as const) {
      const sql = buildHourOfWeekSql({ plan, filter: {}, groupBy });
      const viaSql = parseHourOfWeekRows((await db.query<Record<string, unknown>>(sql.text, sql.values)).rows);
      const series = await readSeries(db, { plan, filter: {}, groupBy, fields: HOUR_OF_WEEK_FIELDS });
      expect(viaSql.length).toBeGreaterThan(3);
      expect(settle(viaSql)).toEqual(settle(hourOfWeekProfile(series)));
      // kt-td-1 on Tuesday 07:00: 426 vehicles without classes, one hour.
      if (groupBy === 'device') expect(viaSql.find((r) => r.group === 'kt-td-1' && r.isoDayOfWeek === 2 && r.hour === 7)).toMatchObject({ hours: 1, motorVehiclesPerHour: 426 });
    }
  });

  it('the series SQL reads telemetry_1h for an hourly request', () => {
    const plan = planQuery({ range: parseRange(monday, 0), bucket: '1h' });
    expect(buildSeriesSql({ plan, fields: ['count_car'], filter: {}, groupBy: 'none' }).text).toContain('FROM telemetry_1h t');
  });
});
