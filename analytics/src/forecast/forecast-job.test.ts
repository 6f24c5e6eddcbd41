/** The forecast job with the real ONNX forecaster from models/manifest.json, and without a model. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '@streetwise/db';
import { apiErrorHandler } from '@streetwise/errors';
import { MANIFEST_PATH } from '@streetwise/models';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyticsApi } from '../api/plugin.js';
import { hk, hkIso } from '../testing/fixture.js';
import { insertDevices, insertTelemetry, startMigratedDatabase, type SeedTelemetry } from '../testing/seed.js';
import { ForecastJob, modelsForecaster } from './forecast-job.js';
import { buildHistorySql, completeHistories } from './history.js';

let db: Database;
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const issuedAt = hk('2024-03-04', '09:00');
const tmp = mkdtempSync(join(tmpdir(), 'sw-forecast-'));

beforeAll(async () => {
  db = await startMigratedDatabase();
  await insertDevices(db, [
    { id: 'loop-a', kind: 'loop_detector', district: 'R', road: 'Tolo Highway', lat: 22.41, lon: 114.21 },
    { id: 'loop-b', kind: 'loop_detector', district: 'R', road: 'Tolo Highway', lat: 22.42, lon: 114.22 },
    { id: 'loop-c', kind: 'loop_detector', district: 'R', road: 'Tolo Highway', lat: 22.43, lon: 114.23 },
    { id: 'td-d', kind: 'loop_detector', district: 'J', road: 'Kwun Tong Road', lat: 22.31, lon: 114.22 },
  ]);
  const rows: SeedTelemetry[] = [];
  // 08:00–08:55: 12 intervals for loop-a and loop-b, 11 for loop-c (08:05 missing); then the actual at 09:10.
  for (let i = 0; i < 12; i++) {
    const time = issuedAt - (12 - i) * 5 * MIN;
    rows.push({ time, deviceId: 'loop-a', car: 40 + i, bus: 2, speedKmh: 60 - i });
    rows.push({ time, deviceId: 'loop-b', car: 10, speedKmh: 80 });
    if (i !== 1) rows.push({ time, deviceId: 'loop-c', car: 5, speedKmh: 70 });
    // Like the Transport Department's feed: a volume, no vehicle classes.
    rows.push({ time, deviceId: 'td-d', volume: 20 + i, speedKmh: 50 });
  }
  rows.push({ time: issuedAt + 10 * MIN, deviceId: 'loop-a', car: 50, bus: 1, speedKmh: 55 });
  // loop-b a day and two days before: the history rows (08:55, 09:10, 09:25, 09:55) and one between them
  // (09:00) that is not read; speed 80 as today, so its 24-hour scales do not move.
  for (const [days, hhmm] of [[1, '08:55'], [1, '09:00'], [1, '09:10'], [1, '09:25'], [1, '09:55'], [2, '09:10']] as const) {
    rows.push({ time: hk('2024-03-04', hhmm) - days * DAY, deviceId: 'loop-b', car: 10, speedKmh: 80 });
  }
  await insertTelemetry(db, rows);
}, 60_000);

afterAll(async () => {
  await db?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('forecast job', () => {
  it('keeps only devices with all 12 intervals', () => {
    const t = (m: number) => new Date(issuedAt - m * 5 * MIN);
    const rows = [...Array.from({ length: 12 }, (_, i) => ({ device_id: 'x', bucket: t(12 - i), flow: 1, has_flow: true, speed: 50 })), { device_id: 'y', bucket: t(1), flow: 1, has_flow: false, speed: 50 }];
    const { ready, incomplete } = completeHistories(rows, issuedAt);
    expect(ready.map((d) => [d.deviceId, d.rows.length])).toEqual([['x', 12]]);
    expect(incomplete).toEqual(['y']);
  });

  it('a loop detector without vehicle classes has a flow series from its volume', async () => {
    const history = buildHistorySql(issuedAt);
    const { ready } = completeHistories((await db.query<Record<string, unknown>>(history.text, history.values)).rows, issuedAt);
    const td = ready.find((d) => d.deviceId === 'td-d');
    expect(td?.rows.map((r) => r.flow)).toEqual(Array.from({ length: 12 }, (_, i) => 20 + i));
    expect(td?.rows.map((r) => r.speedKmh)).toEqual(Array(12).fill(50));
    expect(ready.find((d) => d.deviceId === 'loop-a')?.rows.map((r) => r.flow)).toEqual(Array.from({ length: 12 }, (_, i) => 42 + i));
  });

  it('passes the same times of day on earlier days (the history features), in time order before the last hour', async () => {
    const history = buildHistorySql(issuedAt);
    const { ready } = completeHistories((await db.query<Record<string, unknown>>(history.text, history.values)).rows, issuedAt);
    const loopB = ready.find((d) => d.deviceId === 'loop-b')!;
    const at = (days: number, hhmm: string) => hk('2024-03-04', hhmm) - days * DAY;
    const recent = Array.from({ length: 12 }, (_, i) => issuedAt - (12 - i) * 5 * MIN);
    expect(loopB.rows.map((r) => r.timeMs)).toEqual([at(2, '09:10'), at(1, '08:55'), at(1, '09:10'), at(1, '09:25'), at(1, '09:55'), ...recent]);
    // Devices without earlier days get the last hour only, as before.
    expect(ready.find((d) => d.deviceId === 'loop-a')?.rows).toHaveLength(12);
  });

  it('with no model reports "no model" and stores nothing', async () => {
    const job = new ForecastJob({ db, open: modelsForecaster(join(tmp, 'manifest.json')), now: () => issuedAt + 30_000 });
    const report = await job.runOnce();
    expect(report).toMatchObject({ status: 'no model', devices: 0, forecasts: 0 });
    expect(report.reason).toContain('no traffic forecast model');
    expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM forecasts')).rows[0]?.n).toBe(0);
    await job.stop();
  });

  it('with a model whose file does not match the manifest, fails with the reason', async () => {
    const manifest = JSON.parse(readFileSync(MANIFEST_PATH, 'utf8')) as { models: Array<{ name: string; file: string }> };
    const entry = manifest.models.find((m) => m.name === 'forecaster');
    expect(entry).toBeDefined();
    writeFileSync(join(tmp, entry!.file), 'not an onnx model');
    writeFileSync(join(tmp, 'manifest.json'), JSON.stringify(manifest));
    const job = new ForecastJob({ db, open: modelsForecaster(join(tmp, 'manifest.json')), now: () => issuedAt + 30_000 });
    const report = await job.runOnce();
    expect(report.status).toBe('failed');
    expect(report.reason).toContain('cannot be used');
    await job.stop();
  });

  it('forecasts every device with enough history with the real model, and the API serves it next to actual', async () => {
    const job = new ForecastJob({ db, now: () => issuedAt + 30_000 });
    const report = await job.runOnce();
    expect(report).toMatchObject({ status: 'ok', issuedAt: new Date(issuedAt).toISOString(), devices: 3, forecasts: 9, incomplete: 1 });
    const stored = await db.query<{ device_id: string; horizon_min: number; target_time: Date; flow: number; speed_kmh: number }>(
      'SELECT device_id, horizon_min, target_time, flow, speed_kmh FROM forecasts ORDER BY device_id, horizon_min',
    );
    // The last interval seen is the 08:55 bucket; +15 min → the 09:10 bucket.
    expect(stored.rows.map((r) => [r.device_id, r.horizon_min, r.target_time.toISOString()])).toEqual([
      ['loop-a', 15, hkIso('2024-03-04', '09:10')],
      ['loop-a', 30, hkIso('2024-03-04', '09:25')],
      ['loop-a', 60, hkIso('2024-03-04', '09:55')],
      ['loop-b', 15, hkIso('2024-03-04', '09:10')],
      ['loop-b', 30, hkIso('2024-03-04', '09:25')],
      ['loop-b', 60, hkIso('2024-03-04', '09:55')],
      ['td-d', 15, hkIso('2024-03-04', '09:10')],
      ['td-d', 30, hkIso('2024-03-04', '09:25')],
      ['td-d', 60, hkIso('2024-03-04', '09:55')],
    ]);
    for (const r of stored.rows) {
      expect(r.speed_kmh).toBeGreaterThan(0);
      expect(r.speed_kmh).toBeLessThan(200);
      expect(r.flow).toBeGreaterThanOrEqual(0);
    }
    // Running again for the same interval replaces, not duplicates.
    await job.runOnce();
    expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM forecasts')).rows[0]?.n).toBe(9);
    await job.stop();

    const app = Fastify({ logger: false });
    app.setErrorHandler(apiErrorHandler);
    await app.register(analyticsApi, { prefix: '/api/v1', db, now: () => new Date(issuedAt), rateLimit: false });
    try {
      const res = await app.inject('/api/v1/analytics/forecast?device=loop-a&horizon=15');
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.meta).toEqual({ from: hkIso('2024-03-04', '06:00'), to: hkIso('2024-03-04', '10:00'), horizonMin: 15 });
      const at910 = body.data.find((r: { bucket: string }) => r.bucket === hkIso('2024-03-04', '09:10'));
      expect(at910).toMatchObject({ device: 'loop-a', actualFlow: 51, actualSpeedKmh: 55, issuedAt: new Date(issuedAt).toISOString() });
      expect(at910.forecastSpeedKmh).toBeGreaterThan(0);
      const bad = await app.inject('/api/v1/analytics/forecast?device=nope');
      expect(bad.json()).toMatchObject({ code: 'SW_API_BAD_PARAMETER', parameter: 'device' });
    } finally {
      await app.close();
    }
  });
});

