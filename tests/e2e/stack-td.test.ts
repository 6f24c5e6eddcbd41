import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTdFeed } from '@streetwise/connectors';
import { TD_SNAPSHOT_FILE } from '../src/connectors/td-snapshot.js';
import { waitFor } from '@streetwise/testing';
import { signInOverHttp } from '../src/console-auth.js';
import { spawnStack, type SpawnedStack } from '../src/spawn-stack.js';

const ADMIN = { user: 'td-chief', password: 'td stack test passphrase' };

interface Device {
  id: string;
  kind: string;
  district: string | null;
  districtNameEn: string | null;
  road: string | null;
  lat: number | null;
  lon: number | null;
  state: string;
}

/** `npm start` with TD_FEED on the saved snapshot: the real detectors on the map API and in an analytics answer. */
describe('npm start with TD_FEED: the Transport Department detectors as devices', () => {
  let stack: SpawnedStack;
  let consoleUrl = '';
  let headers: Record<string, string> = {};
  const dataDir = mkdtempSync(join(tmpdir(), 'sw-stack-td-'));

  beforeAll(async () => {
    stack = spawnStack({ PORT: '0', MQTT_PORT: '0', DB_PORT: '0', DATA_DIR: dataDir, SIM_DEVICES: '0', TD_FEED: TD_SNAPSHOT_FILE, ADMIN_USER: ADMIN.user, ADMIN_PASSWORD: ADMIN.password });
    const ready = await stack.waitForLog((l) => l['msg'] === 'Streetwise is running; Ctrl+C stops it', 120_000);
    consoleUrl = String(ready['console']);
    headers = await signInOverHttp(consoleUrl, ADMIN.user, ADMIN.password);
  }, 180_000);

  afterAll(async () => {
    const code = await stack?.stop('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
    expect(code).toBe(0);
  });

  it('replays the snapshot re-timed to now as the td-gateway credential, whose secret stays in DATA_DIR', async () => {
    const published = await stack.waitForLog((l) => l['msg'] === 'replay published', 120_000);
    expect(published).toMatchObject({ telemetry: 1506, periods: 2, problems: 0, births: 754 });
    expect(statSync(join(dataDir, 'mqtt-secrets', 'td-gateway.token')).mode & 0o777).toBe(0o600);
  });

  it('lists AID01101 on the map API: a loop detector in Southern (D) on Aberdeen Praya Road', async () => {
    const devices = await waitFor(async () => {
      const res = await fetch(`${consoleUrl}/api/v1/devices?kind=loop_detector&limit=5000`, { headers });
      if (res.status !== 200) throw new Error(`${res.status} ${await res.text()}`);
      const body = (await res.json()) as { total: number; items: Device[] };
      return body.total >= 754 ? body : undefined;
    }, { intervalMs: 100, timeoutMs: 120_000, what: '754 detectors registered' });
    expect(devices.total).toBe(754);
    expect(devices.items.find((d) => d.id === 'AID01101')).toMatchObject({
      kind: 'loop_detector', district: 'D', districtNameEn: 'Southern', road: 'Aberdeen Praya Road', lat: 22.248091, lon: 114.152525, state: 'online',
    });
  });

  it('answers a planner for AID01101 from its stored readings', async () => {
    const speed = await waitFor(async () => {
      const res = await fetch(`${consoleUrl}/api/v1/analytics/speed?device=AID01101&bucket=1h`, { headers });
      if (res.status !== 200) throw new Error(`${res.status} ${await res.text()}`);
      const body = (await res.json()) as { data: Array<Record<string, unknown>> };
      return body.data.length > 0 ? body : undefined;
    }, { intervalMs: 100, timeoutMs: 120_000, what: 'a speed answer for AID01101' });
    // The two periods' volume-weighted speeds (21:27:00 is 666/11 by hand); the planner's mean is per reading.
    const periods = createTdFeed().read(readFileSync(TD_SNAPSHOT_FILE), { nowMs: Date.now(), source: TD_SNAPSHOT_FILE }).periods;
    const [first, second] = periods.map((p) => p.readings.find((r) => r.siteId === 'AID01101')!.speedKmh!);
    expect(first).toBeCloseTo(666 / 11, 9);
    const answered = speed.data.map((row) => Number(row['speedKmhAvg']));
    // Both readings are within the last minute: one hourly bucket, or two when an hour began between them.
    if (answered.length === 1) expect(answered[0]).toBeCloseTo((first! + second!) / 2, 3);
    else expect(answered.sort((a, b) => a - b).map((v) => v.toFixed(3))).toEqual([first!, second!].sort((a, b) => a - b).map((v) => v.toFixed(3)));
  });

  it('counts AID01101\'s vehicles (its volume, no classes) in an analytics volume answer', async () => {
    const periods = createTdFeed().read(readFileSync(TD_SNAPSHOT_FILE), { nowMs: Date.now(), source: TD_SNAPSHOT_FILE }).periods;
    const volumes = periods.map((p) => p.readings.find((r) => r.siteId === 'AID01101')!.volume);
    expect(volumes[0]).toBe(11);
    const expected = volumes.reduce((sum, v) => sum + v, 0);
    const volume = await waitFor(async () => {
      const res = await fetch(`${consoleUrl}/api/v1/analytics/volume?device=AID01101&bucket=1h`, { headers });
      if (res.status !== 200) throw new Error(`${res.status} ${await res.text()}`);
      const body = (await res.json()) as { data: Array<Record<string, number>> };
      const total = body.data.reduce((sum, row) => sum + (row['motorVehicles'] ?? 0), 0);
      return total === expected ? body : undefined;
    }, { intervalMs: 200, timeoutMs: 120_000, what: `AID01101's volume ${expected} in an analytics answer` });
    // Both readings carry no class: every vehicle is unclassified, none is a car.
    expect(volume.data.reduce((sum, row) => sum + (row['unclassified'] ?? 0), 0)).toBe(expected);
    expect(volume.data.every((row) => row['car'] === 0)).toBe(true);
  });
});
