import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '@streetwise/console';
import { waitFor } from '@streetwise/testing';
import { bearerFor, signIn, TEST_SCRYPT_COST } from '../src/console-auth.js';
import { FLEET_CAMERA, FLEET_PREFIX, FLEET_SENSOR, startFleetRig, type FleetRig } from '../src/fleet-rig.js';

interface PushAnswer {
  pushId: string;
  devices: Array<{ id: string; version: number; publishedAt: string | null; publishError: string | null }>;
}
interface PushView {
  id: string;
  pushedBy: string;
  target: { devices?: string[]; district?: string };
  patch: Record<string, unknown>;
  devices: Array<{ id: string; version: number; status: string; confirmedAt: string | null; rejectReason: string | null }>;
}
interface FleetDevice {
  id: string;
  state: string;
  configVersion: number | null;
  models: Record<string, string>;
  health: { fps: number | null; outboxDepth: number | null; configVersion: number | null; inferenceMsP95: number | null } | null;
  lastPush: { version: number; confirmedAt: string | null } | null;
}

/**
 * Config pushes from the fleet view, end to end: the console publishes as its `downlink` credential on the
 * embedded broker with identity's checks on, real edge agents apply the patch, and their next status
 * carries the new config version back through ingest to the push's confirmation.
 */
describe('fleet: config pushes reach real edge agents and come back as their config version', () => {
  let rig: FleetRig;
  let admin: Record<string, string>;
  const push = (body: unknown, headers = admin) => rig.app.inject({ method: 'POST', url: '/api/v1/fleet/config', headers, payload: body as object });
  const pushRows = async () => Number((await rig.db.query<{ n: string }>('SELECT (SELECT count(*) FROM fleet_pushes) + (SELECT count(*) FROM fleet_push_devices) AS n')).rows[0]!.n);
  const viewOf = async (pushId: string) => (await rig.app.inject({ method: 'GET', url: `/api/v1/fleet/pushes/${pushId}`, headers: admin })).json<PushView>();

  beforeAll(async () => {
    rig = await startFleetRig();
    admin = await signIn(rig.app, 'ada');
    await waitFor(async () => (await rig.app.inject({ method: 'GET', url: '/api/v1/fleet', headers: admin })).json<{ downlink: string }>().downlink === 'connected', { timeoutMs: 10_000, what: 'the console\'s downlink connected' });
  }, 60_000);
  afterAll(async () => rig?.stop());

  it('lists the fleet with each device\'s latest health, versions and state, filtered and sorted', async () => {
    await waitFor(async () => (await rig.db.query('SELECT 1 FROM health WHERE device_id = $1 AND fps > 0', [FLEET_CAMERA])).rows.length > 0, { timeoutMs: 10_000, what: 'camera health with fps' });
    const res = await rig.app.inject({ method: 'GET', url: '/api/v1/fleet?district=Yau Tsim Mong&sort=id', headers: admin });
    expect(res.statusCode).toBe(200);
    const page = res.json<{ total: number; downlink: string; items: FleetDevice[] }>();
    expect(page).toMatchObject({ total: 2, downlink: 'connected' });
    expect(page.items.map((d) => d.id)).toEqual([FLEET_SENSOR, FLEET_CAMERA].sort());
    const camera = page.items.find((d) => d.id === FLEET_CAMERA)!;
    expect(camera).toMatchObject({ state: 'online', configVersion: 0, models: { detector: 'v1' }, lastPush: null });
    expect(camera.health!.fps).toBeGreaterThan(0);
    expect(camera.health!.outboxDepth).toBeGreaterThanOrEqual(0);
    expect(camera.health!.inferenceMsP95).toBeGreaterThan(0);
    const sensorOnly = await rig.app.inject({ method: 'GET', url: '/api/v1/fleet?kind=air_quality', headers: admin });
    expect(sensorOnly.json<{ items: FleetDevice[] }>().items.map((d) => d.id)).toEqual([FLEET_SENSOR]);
    const bad = await rig.app.inject({ method: 'GET', url: '/api/v1/fleet?sort=colour', headers: admin });
    expect(bad.json()).toMatchObject({ statusCode: 400, parameter: 'sort' });
  });

  it('pushes a patch to one device: published once, applied, confirmed by the device\'s next status, audited', async () => {
    const before = rig.delivered.length;
    const patch = { thresholds: { default: 0.5, person: 0.6 } };
    const res = await push({ devices: [FLEET_CAMERA], patch });
    expect(res.statusCode).toBe(201);
    const answer = res.json<PushAnswer>();
    expect(answer.devices).toEqual([{ id: FLEET_CAMERA, version: 1, publishedAt: expect.any(String), publishError: null }]);

    // The broker carried exactly one config downlink, on the camera's topic, from the console's client.
    expect(rig.delivered.slice(before)).toEqual([{ topic: `${FLEET_PREFIX}/v1/${FLEET_CAMERA}/config`, json: expect.objectContaining({ v: 1, configVersion: 1, patch }) }]);
    await waitFor(() => rig.camera.configVersion === 1, { timeoutMs: 10_000, what: 'the agent applies config version 1' });
    await waitFor(async () => (await viewOf(answer.pushId)).devices[0]!.status === 'confirmed', { timeoutMs: 10_000, what: 'the push confirmed' });

    const view = await viewOf(answer.pushId);
    expect(view).toMatchObject({ pushedBy: 'ada', target: { devices: [FLEET_CAMERA] }, patch });
    expect(view.devices).toEqual([expect.objectContaining({ id: FLEET_CAMERA, version: 1, status: 'confirmed', confirmedAt: expect.any(String) })]);
    expect((await rig.db.query<{ config_version: number }>('SELECT config_version FROM devices WHERE id = $1', [FLEET_CAMERA])).rows[0]!.config_version).toBe(1);
    // Its health reports the version too, and the fleet table shows the push confirmed.
    await waitFor(async () => (await rig.db.query('SELECT 1 FROM health WHERE device_id = $1 AND config_version = 1', [FLEET_CAMERA])).rows.length > 0, { timeoutMs: 10_000, what: 'health with config version 1' });
    const fleet = (await rig.app.inject({ method: 'GET', url: '/api/v1/fleet', headers: admin })).json<{ items: FleetDevice[] }>();
    expect(fleet.items.find((d) => d.id === FLEET_CAMERA)).toMatchObject({ configVersion: 1, lastPush: { version: 1, confirmedAt: expect.any(String) } });
  });

  it('refuses a bad patch with the field named, and publishes and records nothing', async () => {
    const delivered = rig.delivered.length;
    const rows = await pushRows();
    const outOfRange = await push({ devices: [FLEET_CAMERA], patch: { thresholds: { car: 2 } } });
    expect(outOfRange.statusCode).toBe(400);
    expect(outOfRange.json()).toMatchObject({ code: 'SW_API_BAD_PARAMETER', parameter: 'patch.thresholds.car' });
    const unknown = await push({ devices: [FLEET_CAMERA], patch: { thresholds: { lorry: 0.5 } } });
    expect(unknown.json()).toMatchObject({ statusCode: 400, parameter: 'patch.thresholds.lorry', allowed: expect.arrayContaining(['car', 'person', 'default']) });
    const badZone = await push({ devices: [FLEET_CAMERA], patch: { cameras: { street: { zones: [{ name: 'gate', polygon: [[0, 0], [1, 1]] }] } } } });
    expect(badZone.json()).toMatchObject({ statusCode: 400, parameter: 'patch.cameras.street.zones.0.polygon' });
    const both = await push({ devices: [FLEET_CAMERA], district: 'E', patch: { thresholds: { default: 0.3 } } });
    expect(both.json()).toMatchObject({ statusCode: 400, parameter: 'district' });
    const nobody = await push({ devices: ['no-such-device'], patch: { thresholds: { default: 0.3 } } });
    expect(nobody.json()).toMatchObject({ statusCode: 400, parameter: 'devices' });
    expect(rig.delivered.length).toBe(delivered);
    expect(await pushRows()).toBe(rows);
  });

  it('lets only admins push: a viewer and an operator get 403, by session and by token, and nothing is sent', async () => {
    const delivered = rig.delivered.length;
    const rows = await pushRows();
    const body = { devices: [FLEET_CAMERA], patch: { thresholds: { default: 0.2 } } };
    for (const headers of [await signIn(rig.app, 'victor'), await signIn(rig.app, 'olivia'), await bearerFor(rig.db, 'vera', 'viewer'), await bearerFor(rig.db, 'otto', 'operator'), await bearerFor(rig.db, 'pat', 'planner')]) {
      const res = await push(body, headers);
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ code: 'SW_CONSOLE_FORBIDDEN' });
      expect((await rig.app.inject({ method: 'GET', url: '/api/v1/fleet', headers })).statusCode).toBe(403);
    }
    expect(rig.delivered.length).toBe(delivered);
    expect(await pushRows()).toBe(rows);
  });

  it('pushes to a district: each device gets its own next version; a device that cannot apply it answers rejected', async () => {
    const res = await push({ district: 'Yau Tsim Mong', patch: { thresholds: { default: 0.4 } } });
    expect(res.statusCode).toBe(201);
    const answer = res.json<PushAnswer>();
    expect(answer.devices.map((d) => [d.id, d.version])).toEqual([[FLEET_SENSOR, 1], [FLEET_CAMERA, 2]].sort());
    await waitFor(
      async () => {
        const statuses = Object.fromEntries((await viewOf(answer.pushId)).devices.map((d) => [d.id, d.status]));
        return statuses[FLEET_CAMERA] === 'confirmed' && statuses[FLEET_SENSOR] === 'rejected';
      },
      { timeoutMs: 15_000, what: 'camera confirmed, sensor rejected' },
    );
    const view = await viewOf(answer.pushId);
    expect(view.target).toEqual({ district: 'E' });
    expect(view.devices.find((d) => d.id === FLEET_SENSOR)!.rejectReason).toMatch(/no detector/);
    expect(rig.camera.configVersion).toBe(2);
    expect(rig.sensor.configVersion).toBe(0);

    const list = (await rig.app.inject({ method: 'GET', url: '/api/v1/fleet/pushes', headers: admin })).json<{ total: number; items: PushView[] }>();
    expect(list.total).toBe(2);
    expect(list.items.map((p) => p.id)[0]).toBe(answer.pushId);
    const ofSensor = (await rig.app.inject({ method: 'GET', url: `/api/v1/fleet/pushes?device=${FLEET_SENSOR}`, headers: admin })).json<{ total: number }>();
    expect(ofSensor.total).toBe(1);
    const audit = await rig.db.query<{ pushed_by: string; devices: number }>('SELECT pushed_by, (SELECT count(*)::int FROM fleet_push_devices x WHERE x.push_id = p.id) AS devices FROM fleet_pushes p ORDER BY pushed_at');
    expect(audit.rows).toEqual([{ pushed_by: 'ada', devices: 1 }, { pushed_by: 'ada', devices: 2 }]);
  });

  it('answers 503 and records nothing when its downlink credential is refused by the broker', async () => {
    const wrong = await build({
      db: rig.db,
      accounts: { scryptCost: TEST_SCRYPT_COST },
      analytics: false,
      downlink: { url: rig.broker.url, prefix: FLEET_PREFIX, username: 'console', password: 'not-the-secret' },
    });
    try {
      const headers = await signIn(wrong, 'ada');
      const rows = await pushRows();
      await waitFor(async () => (await wrong.inject({ method: 'GET', url: '/api/v1/fleet', headers })).json<{ downlink: string }>().downlink === 'disconnected', { timeoutMs: 5000, what: 'downlink refused' });
      const res = await wrong.inject({ method: 'POST', url: '/api/v1/fleet/config', headers, payload: { devices: [FLEET_CAMERA], patch: { thresholds: { default: 0.3 } } } });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ code: 'SW_CONSOLE_DOWNLINK_UNAVAILABLE' });
      expect(await pushRows()).toBe(rows);
    } finally {
      await wrong.close();
    }
  });
});
