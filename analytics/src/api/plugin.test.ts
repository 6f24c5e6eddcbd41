/** The analytics API on the fixture database: answers, formats, pagination, errors naming the parameter, docs. */
import type { Database } from '@streetwise/db';
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

  it('daily speed by district reads telemetry_1d and labels districts in Chinese', async () => {
    const body = (await get('/analytics/speed?from=2024-03-04&to=2024-03-05&bucket=1d&groupBy=district')).json();
    expect(body.meta.source).toBe('telemetry_1d');
    expect(body.data).toEqual([
      { bucket: hkIso('2024-03-04'), group: 'Sha Tin', groupZh: '沙田', speedKmhAvg: Number(((24 * 40 + 3 * 100) / 27).toPrecision(12)), speedSamples: 27, congestionIndex: 0.8 },
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

describe('bad parameters → 400 naming the parameter', () => {
  const cases: Array<[string, string, string]> = [
    ['/analytics/volume?district=Atlantis', 'district', 'SW_ANALYTICS_UNKNOWN_DISTRICT'],
    ['/analytics/volume?from=2024-03-05&to=2024-03-04', 'to', 'SW_ANALYTICS_RANGE_INVERTED'],
    ['/analytics/volume?from=2024-03-01&to=2024-03-20&source=raw', 'to', 'SW_ANALYTICS_RANGE_TOO_LARGE_FOR_RAW'],
    ['/analytics/volume?h3=not-a-cell', 'h3', 'SW_ANALYTICS_H3_INVALID'],
    ['/analytics/volume?h3=85411c2ffffffff', 'h3', 'SW_ANALYTICS_H3_RESOLUTION'],
    ['/analytics/volume?device=nope', 'device', 'SW_ANALYTICS_UNKNOWN_DEVICE'],
    ['/analytics/volume?from=yesterday', 'from', 'SW_ANALYTICS_BAD_PARAMETER'],
    ['/analytics/volume?limit=100000', 'limit', 'SW_ANALYTICS_VALIDATION'],
    ['/analytics/volume?bucket=2h', 'bucket', 'SW_ANALYTICS_VALIDATION'],
    ['/analytics/volume?colour=red', 'colour', 'SW_ANALYTICS_VALIDATION'],
    ['/analytics/volume?bucket=15m&source=1h', 'source', 'SW_ANALYTICS_SOURCE_MISMATCH'],
  ];
  for (const [url, parameter, code] of cases) {
    it(`${url} → ${parameter}`, async () => {
      const res = await get(url);
      expect(res.statusCode).toBe(400);
      const body = res.json();
      expect(body).toMatchObject({ error: 'Bad Request', code, parameter });
      expect(body.message).toContain(parameter === 'to' && code === 'SW_ANALYTICS_RANGE_INVERTED' ? 'to' : '');
    });
  }
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

  it('serves OpenAPI with every route, and the docs page', async () => {
    const spec = (await app.inject('/docs/json')).json();
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/v1/analytics/volume', '/api/v1/analytics/speed']));
    const volume = spec.paths['/api/v1/analytics/volume'].get;
    expect(volume.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['from', 'to', 'district', 'h3', 'bucket', 'format']));
    expect(Object.keys(volume.responses)).toEqual(expect.arrayContaining(['200', '400', '429']));
    const page = await app.inject('/docs/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
  });
});
