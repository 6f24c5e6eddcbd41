import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { createEmbeddedDatabase, migrate, type Database } from '@streetwise/db';
import { build, createUser, diffBetween, listen, type DeviceFeature } from '@streetwise/console';
import { INGEST_ACTOR, writeRuleChanges } from '@streetwise/incidents';
import { launchChromium } from '../src/browser.js';
import { addUser, TEST_SCRYPT_COST } from '../src/console-auth.js';
import { ensureWebAppBuilt } from '../src/web-app.js';
import { deviceInSource, jumpAndRender, mapReady, renderedIn, screenshot, signInPage, until, type PageGlobals, newContextPage } from '../src/web-page.js';

/** Devices around Mong Kok (district E, Yau Tsim Mong): close enough to cluster when zoomed out. */
const DEVICES = [
  { id: 'cam-mk-1', lat: 22.3193, lon: 114.1694 },
  { id: 'cam-mk-2', lat: 22.3201, lon: 114.1702 },
  { id: 'cam-mk-3', lat: 22.3187, lon: 114.1711 },
];

/** A device as GET /devices/geojson serves it (and a `devices:diff` sends it whole). */
const deviceFeature = (device: (typeof DEVICES)[number], state: 'online' | 'degraded' | 'offline'): DeviceFeature => ({
  type: 'Feature' as const,
  id: device.id,
  geometry: { type: 'Point' as const, coordinates: [device.lon, device.lat] },
  properties: { id: device.id, name: device.id, kind: 'camera', state, stateReason: state === 'offline' ? 'silent' : null, district: 'E', keySite: false, severity: null },
});
/** What the browsers have from GET /devices/geojson (the devices are all online). */
const onTheMap = new Map(DEVICES.map((d) => [d.id, deviceFeature(d, 'online')]));

/** The operators' web app against a real console (embedded database), in Debian's headless Chromium. */
describe('console web app in headless Chromium', () => {
  let db: Database;
  let app: FastifyInstance;
  let url: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  const newPage = (options: { locale?: string } = {}): Promise<Page> => newContextPage(browser, contexts, { locale: options.locale ?? 'en-GB', viewport: { width: 1280, height: 800 } });

  /** Opens an incident the way ingest's rules do (one transaction, NOTIFY sw_incidents). */
  async function openIncident(severity: 'critical' | 'high', device = DEVICES[0]!): Promise<string> {
    const id = randomUUID();
    const now = Date.now();
    await db.transaction((tx) =>
      writeRuleChanges(tx, {
        opened: [{ id, type: 'collision', severity, deviceId: device.id, district: 'E', lat: device.lat, lon: device.lon, firstEventId: randomUUID(), lastEventId: randomUUID(), eventCount: 1, openedAtMs: now, lastEventAtMs: now }],
        touched: [], log: [{ incidentId: id, action: 'opened', details: {} }], changes: [{ incidentId: id, action: 'opened' }],
      }, INGEST_ACTOR, true),
    );
    return id;
  }

  beforeAll(async () => {
    ensureWebAppBuilt();
    db = await createEmbeddedDatabase({ dataDir: 'memory://' });
    await migrate(db);
    for (const d of DEVICES) {
      await db.query(`INSERT INTO devices (id, kind, name, district, lat, lon, state) VALUES ($1, 'camera', $1, 'E', $2, $3, 'online')`, [d.id, d.lat, d.lon]);
    }
    await addUser(db, 'olivia', 'operator');
    await addUser(db, 'victor', 'viewer');
    await addUser(db, 'zoe', 'operator');
    app = await build({ db, accounts: { scryptCost: TEST_SCRYPT_COST, loginRateLimit: 1000 }, analytics: false });
    url = (await listen(app, 0)).url;
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await app?.close();
    await db?.close();
  });

  it('signs in, shows who and which role, and the live feed online', async () => {
    const page = await newPage();
    await signInPage(page, url, 'olivia');
    const whoami = page.getByTestId('whoami');
    expect(await whoami.textContent()).toContain('olivia');
    expect(await whoami.textContent()).toContain('Operator');
    await mapReady(page);
    await until(async () => (await deviceInSource(page, 'cam-mk-1')) !== undefined, 'the devices on the map');
    await screenshot(page, 'signed-in-en');
    await page.getByTestId('sign-out').click();
    await page.getByTestId('login-page').waitFor();
  });

  it('moves a device live: a devices:diff reaches the map source through updateData, clusters included', async () => {
    const page = await newPage();
    await signInPage(page, url, 'olivia');
    await mapReady(page);
    await until(async () => (await deviceInSource(page, 'cam-mk-2'))?.['state'] === 'online', 'cam-mk-2 online on the map');
    // Zoomed out, the three devices are one cluster, all online.
    await jumpAndRender(page, [114.17, 22.32], 10);
    const clusterBefore = (await renderedIn(page, 'device-cluster')).find((c) => c['point_count'] === 3);
    expect(clusterBefore).toMatchObject({ worstState: 0 });

    // Only its live properties change: the diff carries them as columns of codes, no feature.
    const offline = diffBetween(onTheMap, [deviceFeature(DEVICES[1]!, 'offline')]);
    expect(offline).toMatchObject({ v: 2, upsert: [], live: { ids: ['cam-mk-2'] } });
    app.io.emit('devices:diff', offline);
    await until(async () => (await deviceInSource(page, 'cam-mk-2'))?.['state'] === 'offline', 'cam-mk-2 offline in the source');
    // The cluster's aggregate follows the update (the promoteId/updateData bug would leave it stale).
    await jumpAndRender(page, [114.17, 22.32], 10.01);
    expect((await renderedIn(page, 'device-cluster')).find((c) => c['point_count'] === 3)).toMatchObject({ worstState: 2 });
    // Zoomed in past clustering, the point itself is drawn offline.
    await jumpAndRender(page, [114.1702, 22.3201], 17);
    const drawn = await renderedIn(page, 'device-point');
    expect(drawn.find((p) => p['id'] === 'cam-mk-2')).toMatchObject({ state: 'offline' });
    expect(drawn.find((p) => p['id'] === 'cam-mk-1')).toMatchObject({ state: 'online' });
    await screenshot(page, 'device-offline-zoomed');

    // A device removed by a diff leaves the map; a new one appears.
    app.io.emit('devices:diff', diffBetween(onTheMap, [deviceFeature({ id: 'cam-mk-9', lat: 22.3195, lon: 114.1699 }, 'degraded')], ['cam-mk-3']));
    await until(async () => (await deviceInSource(page, 'cam-mk-3')) === undefined && (await deviceInSource(page, 'cam-mk-9'))?.['state'] === 'degraded', 'cam-mk-3 gone, cam-mk-9 added');

    // A live change for a device the page never had (it missed the whole feature): it reloads the devices.
    await db.query(`INSERT INTO devices (id, kind, name, district, lat, lon, state) VALUES ('cam-mk-8', 'camera', 'cam-mk-8', 'E', 22.3199, 114.1705, 'offline')`);
    const missed = { id: 'cam-mk-8', lat: 22.3199, lon: 114.1705 };
    app.io.emit('devices:diff', diffBetween(new Map([[missed.id, deviceFeature(missed, 'online')]]), [deviceFeature(missed, 'offline')]));
    await until(async () => (await deviceInSource(page, 'cam-mk-8'))?.['state'] === 'offline', 'cam-mk-8 on the map after the reload');
    await db.query(`DELETE FROM devices WHERE id = 'cam-mk-8'`);
  });

  it('shows a device going offline in the database on the map: NOTIFY sw_devices → the console\'s devices:diff → updateData', async () => {
    const page = await newPage();
    await signInPage(page, url, 'olivia');
    await mapReady(page);
    await until(async () => (await deviceInSource(page, 'cam-mk-1'))?.['state'] === 'online', 'cam-mk-1 online on the map');
    // What ingest does with a last will: the row changes, then NOTIFY sw_devices in the same transaction.
    await db.transaction(async (tx) => {
      await tx.query(`UPDATE devices SET state = 'offline', state_changed_at = now() WHERE id = 'cam-mk-1'`);
      await tx.query(`SELECT pg_notify('sw_devices', $1)`, [JSON.stringify({ v: 1, devices: [{ id: 'cam-mk-1', state: 'offline', registered: false }] })]);
    });
    await until(async () => (await deviceInSource(page, 'cam-mk-1'))?.['state'] === 'offline', 'cam-mk-1 offline on the map');
    await db.query(`UPDATE devices SET state = 'online' WHERE id = 'cam-mk-1'`);
  });

  it('switches to 繁體中文: the UI and the district labels change, and the choice is remembered for the user', async () => {
    const page = await newPage();
    await signInPage(page, url, 'zoe');
    await mapReady(page);
    expect(await page.getByTestId('sign-out').textContent()).toBe('Sign out');
    await page.getByTestId('language').selectOption('zh-HK');
    await until(async () => (await page.getByTestId('sign-out').textContent()) === '登出', 'the sign-out button in Chinese');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-HK');
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).streetwiseMap!.getLayoutProperty('district-label', 'text-field'))).toEqual(['get', 'nameZh']);
    await jumpAndRender(page, [114.17, 22.36], 10.5);
    const labels = await renderedIn(page, 'district-label');
    expect(labels.length).toBeGreaterThan(3);
    expect(labels.map((l) => l['nameZh'])).toContain('油尖旺');
    await screenshot(page, 'map-zh-hk');
    await page.reload();
    await page.getByTestId('shell').waitFor();
    expect(await page.getByTestId('sign-out').textContent()).toBe('登出');
  });

  it('asks a user with a one-time password for a new one before anything else', async () => {
    const { oneTimePassword } = await createUser(db, { username: 'newbie', role: 'viewer', cost: TEST_SCRYPT_COST });
    const page = await newPage();
    await page.goto(url);
    await page.locator('input[name=username]').fill('newbie');
    await page.locator('input[name=password]').fill(oneTimePassword!);
    await page.locator('form button[type=submit]').click();
    await page.getByTestId('password-page').waitFor({ timeout: 20_000 });
    await page.locator('input[name=currentPassword]').fill(oneTimePassword!);
    await page.locator('input[name=newPassword]').fill('a new and long passphrase');
    await page.locator('input[name=confirmPassword]').fill('a new and lung passphrase');
    await page.locator('form button[type=submit]').click();
    expect(await page.getByRole('alert').textContent()).toBe('The two new passwords differ.');
    await page.locator('input[name=confirmPassword]').fill('a new and long passphrase');
    await page.locator('form button[type=submit]').click();
    await page.locator('[data-testid=connection][data-state=online]').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('whoami').textContent()).toContain('newbie');
  });

  it('starts in Traditional Chinese in a zh-HK browser', async () => {
    const page = await newPage({ locale: 'zh-HK' });
    await page.goto(url);
    await page.getByTestId('login-page').waitFor();
    expect(await page.locator('h1').textContent()).toBe('登入 Streetwise 街智');
    expect(await page.getByLabel('用戶名稱').count()).toBe(1);
    await screenshot(page, 'login-zh-hk');
  });

  it('shows a new incident on the map, pulsing while critical and unacknowledged; clicking it selects it', async () => {
    const page = await newPage();
    await signInPage(page, url, 'olivia');
    await mapReady(page);
    const id = await openIncident('critical', DEVICES[0]);
    const marker = page.locator(`.pulse-marker[data-incident-id="${id}"]`);
    await marker.waitFor({ timeout: 10_000 });
    expect(await marker.getAttribute('class')).toContain('pulsing');
    await marker.click();
    expect(await page.getByTestId('selected-incident').textContent()).toContain(id);
    await screenshot(page, 'incident-critical');
  });

  it('a viewer signs in read-only: the role is shown and there is no action button', async () => {
    const page = await newPage();
    await signInPage(page, url, 'victor');
    expect(await page.getByTestId('whoami').getAttribute('data-role')).toBe('viewer');
    expect(await page.locator('[data-action]').count()).toBe(0);
  });

  it('shows the feed offline with a reconnect button, and catches up on what happened meanwhile', async () => {
    const page = await newPage();
    await signInPage(page, url, 'olivia');
    await mapReady(page);
    // The server drops the browser's socket; socket.io does not reconnect by itself after that.
    app.io.disconnectSockets(true);
    await page.locator('[data-testid=connection][data-state=offline]').waitFor({ timeout: 10_000 });
    const missed = await openIncident('high', DEVICES[2]);
    await screenshot(page, 'offline');
    await page.getByTestId('reconnect').click();
    await page.locator('[data-testid=connection][data-state=online]').waitFor({ timeout: 10_000 });
    await until(
      async () => (await page.evaluate(async () => {
        const source = (globalThis as unknown as PageGlobals).streetwiseMap!.getSource('incidents') as { getData(): Promise<{ features: Array<{ id?: unknown }> }> };
        return (await source.getData()).features.map((f) => String(f.id));
      })).includes(missed),
      'the incident raised while offline on the map',
    );
  });
});
