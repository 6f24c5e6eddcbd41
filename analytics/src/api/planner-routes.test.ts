/** The planners' extra routes on a seeded database: incident outcomes (false-alarm share) and coverage. */
import type { Database } from '@streetwise/db';
import { apiErrorHandler } from '@streetwise/errors';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_DEVICES, fixtureTelemetry, hk, hkIso } from '../testing/fixture.js';
import { insertDevices, insertIncidents, insertTelemetry, refreshAggregates, startMigratedDatabase, type SeedIncident } from '../testing/seed.js';
import { analyticsApi } from './plugin.js';

let db: Database;
let app: FastifyInstance;

/**
 * Opened Mon 4 Mar 2024 from 10:00 HK, one a minute. Sha Tin (st-cam-1): 4 collisions, resolved as handled,
 * false_alarm, false_alarm and without an outcome → share 2 / 3. Yau Tsim Mong (ytm-loop-1): 3 stopped
 * vehicles, resolved as false_alarm and duplicate, one still open → share 1 / 2.
 */
const OUTCOMES: Array<{ type: string; device: number; outcome: string | null; resolved: boolean }> = [
  { type: 'collision', device: 0, outcome: 'handled', resolved: true },
  { type: 'collision', device: 0, outcome: 'false_alarm', resolved: true },
  { type: 'collision', device: 0, outcome: 'false_alarm', resolved: true },
  { type: 'collision', device: 0, outcome: null, resolved: true },
  { type: 'stopped_vehicle', device: 2, outcome: 'false_alarm', resolved: true },
  { type: 'stopped_vehicle', device: 2, outcome: 'duplicate', resolved: true },
  { type: 'stopped_vehicle', device: 2, outcome: null, resolved: false },
];

beforeAll(async () => {
  db = await startMigratedDatabase();
  await insertDevices(db, FIXTURE_DEVICES);
  await insertTelemetry(db, fixtureTelemetry());
  const mon10 = hk('2024-03-04', '10:00');
  const incidents: SeedIncident[] = OUTCOMES.map((o, i) => {
    const device = FIXTURE_DEVICES[o.device]!;
    const opened = mon10 + i * 60_000;
    return {
      type: o.type, deviceId: device.id, district: device.district, lat: device.lat!, lon: device.lon!,
      openedAt: new Date(opened).toISOString(), acknowledgedAt: new Date(opened + 30_000).toISOString(),
      resolvedAt: o.resolved ? new Date(opened + 600_000).toISOString() : null,
    };
  });
  await insertIncidents(db, incidents);
  for (const [i, o] of OUTCOMES.entries()) {
    if (o.outcome) await db.query('UPDATE incidents SET outcome = $1 WHERE opened_at = $2::timestamptz', [o.outcome, new Date(mon10 + i * 60_000).toISOString()]);
  }
  await refreshAggregates(db);
  app = Fastify({ logger: false });
  app.setErrorHandler(apiErrorHandler);
  await app.register(analyticsApi, { prefix: '/api/v1', db, now: () => new Date(hk('2024-03-06')), rateLimit: false });
  await app.ready();
}, 60_000);

afterAll(async () => {
  await app?.close();
  await db?.close();
});

const get = (url: string) => app.inject({ method: 'GET', url: `/api/v1${url}` });

describe('GET /analytics/incidents/outcomes', () => {
  it('counts outcomes and the false-alarm share by type', async () => {
    const res = await get('/analytics/incidents/outcomes?from=2024-03-04&to=2024-03-05');
    expect(res.statusCode).toBe(200);
    const none = { district: null, districtNameEn: null, districtNameZh: null, noActionNeeded: 0 };
    expect(res.json().data).toEqual([
      { ...none, type: 'collision', incidents: 4, resolved: 4, handled: 1, falseAlarm: 2, duplicate: 0, outcomeUnrecorded: 1, falseAlarmShare: 0.666666666667 },
      { ...none, type: 'stopped_vehicle', incidents: 3, resolved: 2, handled: 0, falseAlarm: 1, duplicate: 1, outcomeUnrecorded: 0, falseAlarmShare: 0.5 },
    ]);
  });

  it('filters by district (Chinese name) and answers CSV with the same figures', async () => {
    const res = await get(`/analytics/incidents/outcomes?from=2024-03-04&to=2024-03-05&district=${encodeURIComponent('沙田')}&groupBy=district&format=csv`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.body).toBe(
      'district,districtNameEn,districtNameZh,type,incidents,resolved,handled,falseAlarm,duplicate,noActionNeeded,outcomeUnrecorded,falseAlarmShare\r\n' +
      'R,Sha Tin,沙田,,4,4,1,2,0,0,1,0.666666666667\r\n',
    );
  });

  it('has no share where no resolved incident has an outcome, and refuses an unknown groupBy naming it', async () => {
    const empty = await get('/analytics/incidents/outcomes?from=2024-03-05&to=2024-03-06');
    expect(empty.json().data).toEqual([]);
    const bad = await get('/analytics/incidents/outcomes?groupBy=road');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'SW_API_BAD_PARAMETER', parameter: 'groupBy' });
  });
});

describe('GET /analytics/coverage', () => {
  it('answers every bucket: Sha Tin has 2 devices, both reported at 08:00, one at 09:00, none at 10:00', async () => {
    const res = await get(`/analytics/coverage?from=${encodeURIComponent(hkIso('2024-03-04', '08:00'))}&to=${encodeURIComponent(hkIso('2024-03-04', '11:00'))}&bucket=1h&district=R`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.meta).toMatchObject({ bucket: '1h', source: 'telemetry_1h', expected: 2 });
    expect(body.data).toEqual([
      { bucket: hkIso('2024-03-04', '08:00'), reporting: 2, expected: 2, share: 1 },
      { bucket: hkIso('2024-03-04', '09:00'), reporting: 1, expected: 2, share: 0.5 },
      { bucket: hkIso('2024-03-04', '10:00'), reporting: 0, expected: 2, share: 0 },
    ]);
  });

  it('counts every registered device without a filter, per Hong Kong day', async () => {
    const body = (await get('/analytics/coverage?from=2024-03-04&to=2024-03-06&bucket=1d')).json();
    // Monday: st-cam-1, st-loop-1, ytm-loop-1 (23:55), ytm-aq-1. Tuesday: ytm-loop-1, ytm-aq-1, kt-td-1, kt-cam-1.
    expect(body.data).toEqual([
      { bucket: hkIso('2024-03-04'), reporting: 4, expected: 6, share: 0.666666666667 },
      { bucket: hkIso('2024-03-05'), reporting: 4, expected: 6, share: 0.666666666667 },
    ]);
  });
});
