/** The analytics API on the fixture database: answers, formats, pagination, errors naming the parameter, docs. */
import type { Database } from '@streetwise/db';
import { apiErrorHandler } from '@streetwise/errors';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setConfiguredFreeFlow } from '../measures/free-flow.js';
import { FIXTURE_DEVICES, fixtureIncidents, fixtureTelemetry, hk, hkIso } from '../testing/fixture.js';
import { insertDevices, insertIncidents, insertTelemetry, refreshAggregates, startMigratedDatabase } from '../testing/seed.js';
import { registerApiDocs } from './docs.js';
import { analyticsApi, type AnalyticsApiOptions } from './plugin.js';

let db: Database;
let app: FastifyInstance;

async function buildApp(options: Partial<AnalyticsApiOptions> = {}): Promise<FastifyInstance> {
  const instance = Fastify({ logger: false });
  await registerApiDocs(instance);
  instance.setErrorHandler(apiErrorHandler);
  await instance.register(analyticsApi, { prefix: '/api/v1', db, now: () => new Date(hk('2024-03-06')), ...options });
  await instance.ready();
  return instance;
}

beforeAll(async () => {
  db = await startMigratedDatabase();
  await insertDevices(db, FIXTURE_DEVICES);
  await insertTelemetry(db, fixtureTelemetry());
  await insertIncidents(db, fixtureIncidents());
  await setConfiguredFreeFlow(db, 'st-cam-1', 50);
  await refreshAggregates(db);
  app = await buildApp();
}, 60_000);

afterAll(async () => {
  await app?.close();
  await db?.close();
});

const get = (url: string) => app.inject({ method: 'GET', url: `/api/v1${url}` });

describe('measure endpoints', () => {
  it('volume by class per hour in Sha Tin (Chinese district name), from telemetry_1h', async () => {
    const res = await get('/analytics/volume?from=2024-03-04&to=2024-03-05&bucket=1h&district=沙田&class=car,bus,truck');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.meta).toMatchObject({ measure: 'volume', source: 'telemetry_1h', bucket: '1h', from: hkIso('2024-03-04'), to: hkIso('2024-03-05') });
    expect(body.data).toEqual([
      { bucket: hkIso('2024-03-04', '08:00'), group: null, car: 180, bus: 24, truck: 3, motorVehicles: 207 },
      { bucket: hkIso('2024-03-04', '09:00'), group: null, car: 120, bus: 24, truck: 0, motorVehicles: 144 },
    ]);
    expect(body.page).toEqual({ limit: 1000, offset: 0, total: 2, next: null });
  });

  it('volume of a loop detector without classes (Kwun Tong) per device and per district, from raw rows and the aggregates', async () => {
    // kt-cam-1: car 120, truck 24. kt-td-1: volume 426 without classes, plus a reading with bus 4 (and a
    // volume of 50 that its classes replace).
    const none = { person: 0, bicycle: 0, car: 0, motorcycle: 0, bus: 0, truck: 0, unclassified: 0 };
    for (const [source, table] of [['raw', 'telemetry'], ['auto', 'telemetry_1d'], ['1h', 'telemetry_1h'], ['5m', 'telemetry_5m']]) {
      const byDevice = (await get(`/analytics/volume?from=2024-03-05&to=2024-03-06&bucket=1d&district=J&groupBy=device&source=${source}`)).json();
      expect(byDevice.meta.source).toBe(table);
      expect(byDevice.data.map((r: Record<string, unknown>) => ({ ...none, ...r }))).toEqual([
        expect.objectContaining({ bucket: hkIso('2024-03-05'), group: 'kt-cam-1', ...none, car: 120, truck: 24, motorVehicles: 144 }),
        expect.objectContaining({ bucket: hkIso('2024-03-05'), group: 'kt-td-1', ...none, bus: 4, unclassified: 426, motorVehicles: 430 }),
      ]);
      const byDistrict = (await get(`/analytics/volume?from=2024-03-05&to=2024-03-06&bucket=1d&groupBy=district&source=${source}`)).json();
      expect(byDistrict.data.find((r: { group: string }) => r.group === 'J')).toEqual({
        bucket: hkIso('2024-03-05'), group: 'J', districtNameEn: 'Kwun Tong', districtNameZh: '觀塘', ...none, car: 120, bus: 4, truck: 24, unclassified: 426, motorVehicles: 574,
      });
    }
  });

  it('daily speed by district reads telemetry_1d: the group is the code, with English and Chinese names beside it', async () => {
    const body = (await get('/analytics/speed?from=2024-03-04&to=2024-03-05&bucket=1d&groupBy=district')).json();
    expect(body.meta.source).toBe('telemetry_1d');
    expect(body.data).toEqual([
      { bucket: hkIso('2024-03-04'), group: 'R', districtNameEn: 'Sha Tin', districtNameZh: '沙田', speedKmhAvg: Number(((24 * 40 + 3 * 100) / 27).toPrecision(12)), speedSamples: 27, congestionIndex: 0.8 },
    ]);
  });

  it('weekday evening-peak filter (day=weekday, hour=17,18,19) keeps only those local hours', async () => {
    const body = (await get('/analytics/environment?from=2024-03-04&to=2024-03-06&bucket=1d&day=weekday&hour=17,18,19')).json();
    expect(body.meta.source).toBe('telemetry_1h');
    expect(body.data).toEqual([
      { bucket: hkIso('2024-03-04'), group: null, pm25Avg: 60, pm25Max: 60, no2Avg: 250, no2Max: 250, noiseDbaAvg: 60, noiseDbaMax: 60 },
    ]);
  });

  it('paginates with a next link', async () => {
    const body = (await get('/analytics/footfall?from=2024-03-04T08:00:00%2B08:00&to=2024-03-04T10:00:00%2B08:00&bucket=15m&limit=3&offset=3')).json();
    expect(body.meta.source).toBe('telemetry_5m');
    expect(body.data.map((r: { persons: number }) => r.persons)).toEqual([15, 15, 15]);
    expect(body.page.total).toBe(8);
    expect(new URLSearchParams(body.page.next).get('offset')).toBe('6');
    const past = (await get('/analytics/footfall?from=2024-03-04T08:00:00%2B08:00&to=2024-03-04T10:00:00%2B08:00&bucket=15m&limit=3&offset=30')).json();
    expect(past.data).toEqual([]);
    expect(past.page).toEqual({ limit: 3, offset: 30, total: 8, next: null });
  });

  it('exports CSV and GeoJSON', async () => {
    const csv = await get('/analytics/volume?from=2024-03-04&to=2024-03-05&bucket=1d&groupBy=device&class=car&format=csv');
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\r\n')).toEqual(['bucket,group,car,motorVehicles', `${hkIso('2024-03-04')},st-cam-1,240,240`, `${hkIso('2024-03-04')},st-loop-1,60,60`, `${hkIso('2024-03-04')},ytm-loop-1,7,7`, '']);
    const geo = await get('/analytics/volume?from=2024-03-04&to=2024-03-05&bucket=1d&groupBy=device&class=car&format=geojson');
    expect(geo.headers['content-type']).toContain('application/geo+json');
    const fc = geo.json();
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features[0]).toEqual({ type: 'Feature', geometry: { type: 'Point', coordinates: [114.1885, 22.3817] }, properties: { bucket: hkIso('2024-03-04'), group: 'st-cam-1', car: 240, motorVehicles: 240 } });
    const hex = (await get('/analytics/volume?from=2024-03-04&to=2024-03-05&bucket=all&groupBy=h3&h3Resolution=7&format=geojson')).json();
    expect(hex.features[0].geometry.type).toBe('Polygon');
  });
});

describe('series, air, incident and planner endpoints', () => {
  it('peak hour and PHF per Hong Kong day', async () => {
    const body = (await get('/analytics/peak-hour?from=2024-03-04&to=2024-03-06')).json();
    expect(body.meta.source).toBe('telemetry_5m');
    expect(body.data).toEqual([
      // 08:00 quarter: st-cam-1 3 × 12 + st-loop-1 3 × 21 = 99; then 36 per quarter: 99 + 3 × 36 = 207.
      { date: '2024-03-04', group: null, peakHourStart: hkIso('2024-03-04', '08:00'), peakHourVolume: 207, peak15Volume: 99, peakHourFactor: Number((207 / 396).toPrecision(12)), dayVolume: 358 },
      // Tuesday, Kwun Tong 07:00–08:00: kt-cam-1 12 × 12 = 144 and kt-td-1's volume 30 + … + 41 = 426 (570),
      // busiest quarter 07:45: 3 × 12 + 39 + 40 + 41 = 156; the day adds ytm-loop-1's 58 and kt-td-1's bus 4.
      { date: '2024-03-05', group: null, peakHourStart: hkIso('2024-03-05', '07:00'), peakHourVolume: 570, peak15Volume: 156, peakHourFactor: Number((570 / 624).toPrecision(12)), dayVolume: 632 },
    ]);
  });

  it('hour-of-week profile averages over the hours with readings', async () => {
    const body = (await get('/analytics/hour-of-week?from=2024-02-26&to=2024-03-06&district=R')).json();
    expect(body.data).toEqual([
      { group: null, isoDayOfWeek: 1, hour: 8, hours: 2, motorVehiclesPerHour: (60 + 207) / 2, personsPerHour: 30, speedKmhAvg: 52 },
      { group: null, isoDayOfWeek: 1, hour: 9, hours: 1, motorVehiclesPerHour: 144, personsPerHour: 60, speedKmhAvg: 40 },
    ]);
    // Grouped by district, the same rows carry the code and both names.
    const byDistrict = (await get('/analytics/hour-of-week?from=2024-02-26&to=2024-03-06&district=R&groupBy=district')).json();
    expect(byDistrict.data[0]).toEqual({ group: 'R', districtNameEn: 'Sha Tin', districtNameZh: '沙田', isoDayOfWeek: 1, hour: 8, hours: 2, motorVehiclesPerHour: (60 + 207) / 2, personsPerHour: 30, speedKmhAvg: 52 });
    const peaks = (await get('/analytics/peak-hour?from=2024-03-04&to=2024-03-05&groupBy=district')).json();
    expect(peaks.data.map((r: Record<string, unknown>) => [r.group, r.districtNameEn, r.districtNameZh])).toEqual([['E', 'Yau Tsim Mong', '油尖旺'], ['R', 'Sha Tin', '沙田']]);
  });

  it('week-over-week change', async () => {
    const body = (await get('/analytics/change?metric=motorVehicles&compare=week&device=st-cam-1&groupBy=device&from=2024-03-04T08:00:00%2B08:00&to=2024-03-04T10:00:00%2B08:00')).json();
    expect(body.meta.previous).toEqual({ from: hkIso('2024-02-26', '08:00'), to: hkIso('2024-02-26', '10:00') });
    expect(body.data).toEqual([{ group: 'st-cam-1', current: 288, previous: 60, change: 228, changePct: 380 }]);
    const incidents = (await get('/analytics/change?metric=incidents&compare=period&groupBy=district&from=2024-03-04&to=2024-03-05')).json();
    expect(incidents.meta).toMatchObject({ source: 'incidents', previous: { from: hkIso('2024-03-03'), to: hkIso('2024-03-04') } });
    expect(incidents.data).toEqual([
      { group: 'E', current: 1, previous: 0, change: 1, changePct: null, districtNameEn: 'Yau Tsim Mong', districtNameZh: '油尖旺' },
      { group: 'R', current: 3, previous: 0, change: 3, changePct: null, districtNameEn: 'Sha Tin', districtNameZh: '沙田' },
    ]);
    expect((await get('/analytics/change?metric=incidents&groupBy=road')).json()).toMatchObject({ code: 'SW_API_BAD_PARAMETER', parameter: 'groupBy', allowed: ['none', 'district', 'device'] });
  });

  it('AQO exceedances', async () => {
    const body = (await get('/analytics/air-quality/exceedances?from=2024-03-04&to=2024-03-06&pollutant=no2&averaging=1h')).json();
    expect(body.data).toEqual([
      expect.objectContaining({ group: 'ytm-aq-1', pollutant: 'no2', averaging: '1h', limit: 200, allowedPerYear: 18, exceedances: 3, withinAllowance: true, source: 'telemetry_1h' }),
    ]);
    expect(body.data[0].exceedingPeriods.split(' ')).toHaveLength(3);
  });

  it('incident counts, hot spots (with an H3 filter) and operator KPIs', async () => {
    const counts = (await get('/analytics/incidents?from=2024-03-04&to=2024-03-05&groupBy=type')).json();
    expect(counts.data).toEqual([
      { bucket: hkIso('2024-03-04'), group: 'collision', incidents: 3, severe: 0, unresolved: 2 },
      { bucket: hkIso('2024-03-04'), group: 'stopped_vehicle', incidents: 1, severe: 1, unresolved: 1 },
    ]);
    const spots = (await get('/analytics/incidents/hotspots?from=2024-03-04&to=2024-03-05&h3Resolution=9')).json();
    expect(spots.data.map((r: { rank: number; incidents: number }) => [r.rank, r.incidents])).toEqual([[1, 3], [2, 1]]);
    const cell = spots.data[0].group as string;
    const inCell = (await get(`/analytics/incidents/hotspots?from=2024-03-04&to=2024-03-05&h3Resolution=9&h3=${cell}`)).json();
    expect(inCell.data).toHaveLength(1);
    expect(inCell.meta.incidents).toBe(3);
    const geo = await get('/analytics/incidents/hotspots?from=2024-03-04&to=2024-03-05&format=geojson');
    expect(geo.json().features[0].geometry.type).toBe('Polygon');
    const kpis = (await get('/analytics/incidents/kpis?from=2024-03-04&to=2024-03-05&groupBy=district')).json();
    expect(kpis.data.map((r: { district: string; districtNameEn: string; districtNameZh: string; incidents: number; acknowledge: { p50S: number } }) => [r.district, r.districtNameEn, r.districtNameZh, r.incidents, r.acknowledge.p50S])).toEqual([
      ['E', 'Yau Tsim Mong', '油尖旺', 1, 30],
      ['R', 'Sha Tin', '沙田', 3, 120],
    ]);
  });

  it('explains the plan', async () => {
    expect((await get('/analytics/plan?from=2024-03-04&to=2024-03-06&bucket=1d')).json()).toMatchObject({ grain: '1d', source: 'telemetry_1d', empty: false });
    expect((await get('/analytics/plan?from=2024-03-04&to=2024-03-06&bucket=1d&hour=8')).json()).toMatchObject({ grain: '1h' });
    expect((await get('/analytics/plan?from=2024-03-04T00:00:00Z&to=2024-03-04T01:00:00Z&bucket=1m')).json()).toMatchObject({ grain: 'raw', source: 'telemetry' });
  });
});

describe('open data', () => {
  it('district traffic per Hong Kong day with English and Chinese labels, no device detail', async () => {
    const body = (await get('/open-data/traffic?from=2024-03-04&to=2024-03-05&bucket=1d')).json();
    expect(body.meta).toMatchObject({ dataset: 'traffic', bucket: '1d', from: hkIso('2024-03-04') });
    expect(body.fields.find((f: { name: string }) => f.name === 'district_zh')).toEqual({ name: 'district_zh', labelEn: 'District (Chinese)', labelZh: '地區（中文）', unit: null });
    expect(body.data).toEqual([
      { period_start: hkIso('2024-03-04'), period_end: hkIso('2024-03-05'), district_code: 'E', district_en: 'Yau Tsim Mong', district_zh: '油尖旺', cars: 7, motorcycles: 0, buses: 0, goods_vehicles: 0, unclassified_vehicles: 0, motor_vehicles: 7, bicycles: 0, pedestrians: 0, average_speed_kmh: null },
      { period_start: hkIso('2024-03-04'), period_end: hkIso('2024-03-05'), district_code: 'R', district_en: 'Sha Tin', district_zh: '沙田', cars: 300, motorcycles: 0, buses: 48, goods_vehicles: 3, unclassified_vehicles: 0, motor_vehicles: 351, bicycles: 0, pedestrians: 120, average_speed_kmh: Number((1260 / 27).toPrecision(12)) },
    ]);
    expect(JSON.stringify(body)).not.toContain('st-cam-1');
    // Tuesday in Kwun Tong: kt-td-1's 426 vehicles without classes count, next to kt-cam-1's 144.
    const tue = (await get('/open-data/traffic?from=2024-03-05&to=2024-03-06&bucket=1d')).json();
    expect(tue.data.find((r: { district_code: string }) => r.district_code === 'J')).toMatchObject({ cars: 120, buses: 4, goods_vehicles: 24, unclassified_vehicles: 426, motor_vehicles: 574 });
  });

  it('district air quality, CSV and GeoJSON with district boundaries', async () => {
    const body = (await get('/open-data/air-quality?from=2024-03-04&to=2024-03-05&bucket=1d&district=油尖旺')).json();
    expect(body.data).toEqual([
      { period_start: hkIso('2024-03-04'), period_end: hkIso('2024-03-05'), district_code: 'E', district_en: 'Yau Tsim Mong', district_zh: '油尖旺', pm25_ugm3: 60, pm25_max_ugm3: 60, no2_ugm3: 118.75, no2_max_ugm3: 250, noise_dba: 61 },
    ]);
    const csv = await get('/open-data/air-quality?from=2024-03-04&to=2024-03-05&bucket=1d&format=csv');
    expect(csv.body.split('\r\n')[0]).toBe('period_start,period_end,district_code,district_en,district_zh,pm25_ugm3,pm25_max_ugm3,no2_ugm3,no2_max_ugm3,noise_dba');
    const geo = (await get('/open-data/air-quality?from=2024-03-04&to=2024-03-05&bucket=1d&format=geojson')).json();
    expect(geo.features[0].geometry.type).toMatch(/Polygon/);
    const districts = (await get('/open-data/districts')).json();
    expect(districts.data).toHaveLength(18);
    expect(districts.data[0]).toEqual({ district_code: 'A', district_en: 'Central & Western', district_zh: '中西區', region_en: 'Hong Kong Island', region_zh: '香港島' });
  });

  it('refuses device-level parameters and sub-hour buckets', async () => {
    for (const [url, parameter] of [['/open-data/traffic?device=st-cam-1', 'device'], ['/open-data/traffic?bucket=5m', 'bucket'], ['/open-data/air-quality?h3=8830e1d8c1fffff', 'h3']]) {
      const res = await get(url as string);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'SW_API_BAD_PARAMETER', parameter });
    }
  });
});

describe('bad parameters → 400 naming the parameter', () => {
  const cases: Array<[string, string, string]> = [
    ['/analytics/volume?district=Atlantis', 'district', 'SW_API_BAD_PARAMETER'],
    ['/analytics/volume?from=2024-03-05&to=2024-03-04', 'to', 'SW_API_BAD_PARAMETER'],
    ['/analytics/volume?from=2024-03-01&to=2024-03-20&source=raw', 'to', 'SW_ANALYTICS_RANGE_TOO_LARGE_FOR_RAW'],
    ['/analytics/volume?h3=not-a-cell', 'h3', 'SW_ANALYTICS_H3_INVALID'],
    ['/analytics/volume?h3=85411c2ffffffff', 'h3', 'SW_ANALYTICS_H3_RESOLUTION'],
    ['/analytics/volume?device=nope', 'device', 'SW_API_BAD_PARAMETER'],
    ['/analytics/volume?from=yesterday', 'from', 'SW_API_BAD_PARAMETER'],
    ['/analytics/volume?limit=100000', 'limit', 'SW_API_BAD_PARAMETER'],
    ['/analytics/volume?bucket=2h', 'bucket', 'SW_API_BAD_PARAMETER'],
    ['/analytics/volume?colour=red', 'colour', 'SW_API_BAD_PARAMETER'],
    ['/analytics/volume?region=atlantis', 'region', 'SW_API_BAD_PARAMETER'],
    ['/analytics/volume?bucket=15m&source=1h', 'source', 'SW_ANALYTICS_SOURCE_MISMATCH'],
    ['/analytics/incidents/hotspots?h3=8830e1d8c1fffff0', 'h3', 'SW_ANALYTICS_H3_INVALID'],
    ['/analytics/incidents/kpis?district=Gotham', 'district', 'SW_API_BAD_PARAMETER'],
    ['/analytics/change?metric=happiness', 'metric', 'SW_API_BAD_PARAMETER'],
    ['/analytics/hour-of-week?from=2024-01-01&to=2024-02-01&source=raw', 'to', 'SW_ANALYTICS_RANGE_TOO_LARGE_FOR_RAW'],
  ];
  for (const [url, parameter, code] of cases) {
    it(`${url} → ${parameter}`, async () => {
      const res = await get(url);
      expect(res.statusCode).toBe(400);
      const body = res.json();
      expect(body).toMatchObject({ statusCode: 400, error: 'Bad Request', code, parameter });
      expect(body.message).not.toMatch(/querystring/);
      if (code === 'SW_API_BAD_PARAMETER') expect(body.message).toMatch(new RegExp(`^parameter "${parameter}" `));
    });
  }
});

describe('closed sets of values are listed in allowed', () => {
  it('an unknown district lists the 18 districts', async () => {
    const body = (await get('/analytics/volume?district=Atlantis')).json();
    expect(body.allowed).toHaveLength(18);
    expect(body.allowed).toContain('Sha Tin');
    expect(body.message).toContain('"Atlantis"');
  });
  it('an enum parameter lists its values', async () => {
    expect((await get('/analytics/volume?bucket=2h')).json().allowed).toEqual(['1m', '5m', '15m', '1h', '1d', '1w', 'all']);
    expect((await get('/analytics/volume?region=atlantis')).json().allowed).toEqual(['hong-kong-island', 'kowloon', 'new-territories']);
  });
  it('a free-form parameter has no allowed list', async () => {
    expect((await get('/analytics/volume?limit=100000')).json()).not.toHaveProperty('allowed');
  });
});

describe('rate limits and docs', () => {
  it('answers 429 with a code once a client exceeds the limit', async () => {
    const limited = await buildApp({ rateLimit: { max: 2, timeWindowMs: 60_000 } });
    try {
      const url = '/api/v1/analytics/footfall?from=2024-03-04&to=2024-03-05';
      expect((await limited.inject(url)).statusCode).toBe(200);
      expect((await limited.inject(url)).statusCode).toBe(200);
      const third = await limited.inject(url);
      expect(third.statusCode).toBe(429);
      expect(third.json()).toMatchObject({ error: 'Too Many Requests', code: 'SW_ANALYTICS_RATE_LIMITED' });
      expect(third.headers['retry-after']).toBeDefined();
    } finally {
      await limited.close();
    }
  });

  it('open data has its own, stricter limit', async () => {
    const limited = await buildApp({ rateLimit: { max: 100, timeWindowMs: 60_000 }, openDataRateLimit: { max: 1, timeWindowMs: 60_000 } });
    try {
      expect((await limited.inject('/api/v1/open-data/districts')).statusCode).toBe(200);
      expect((await limited.inject('/api/v1/open-data/districts')).statusCode).toBe(429);
      expect((await limited.inject('/api/v1/analytics/plan')).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('serves OpenAPI with every route, and the docs page', async () => {
    const spec = (await app.inject('/docs/json')).json();
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining([
      '/api/v1/analytics/volume', '/api/v1/analytics/speed', '/api/v1/analytics/footfall', '/api/v1/analytics/occupancy', '/api/v1/analytics/environment',
      '/api/v1/analytics/peak-hour', '/api/v1/analytics/hour-of-week', '/api/v1/analytics/change', '/api/v1/analytics/plan',
      '/api/v1/analytics/air-quality/exceedances', '/api/v1/analytics/incidents', '/api/v1/analytics/incidents/hotspots', '/api/v1/analytics/incidents/kpis',
      '/api/v1/analytics/forecast', '/api/v1/open-data/traffic', '/api/v1/open-data/air-quality', '/api/v1/open-data/districts',
    ]));
    for (const [path, item] of Object.entries(spec.paths as Record<string, { get: { responses: Record<string, unknown> } }>)) {
      expect(Object.keys(item.get.responses), path).toEqual(expect.arrayContaining(['200', '400']));
    }
    const volume = spec.paths['/api/v1/analytics/volume'].get;
    expect(volume.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['from', 'to', 'district', 'h3', 'bucket', 'format']));
    expect(Object.keys(volume.responses)).toEqual(expect.arrayContaining(['200', '400', '429']));
    const page = await app.inject('/docs/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
  });
});
