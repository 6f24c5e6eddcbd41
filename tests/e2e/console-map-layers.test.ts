import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { createEmbeddedDatabase, migrate, type Database } from '@streetwise/db';
import { insertDevices, insertIncidents, insertTelemetry, refreshAggregates } from '@streetwise/analytics';
import { build, listen } from '@streetwise/console';
import { launchChromium } from '../src/browser.js';
import { addUser, TEST_SCRYPT_COST } from '../src/console-auth.js';
import { FIXTURE_FILE, FIXTURE_WATER } from '../src/render/make-pmtiles.js';
import { ensureWebAppBuilt } from '../src/web-app.js';
import { jumpAndRender, mapReady, screenshot, signInPage, until, type PageGlobals, newContextPage } from '../src/web-page.js';

/** What this test reads of the live map beyond web-page.ts's handle. */
interface LayersMap {
  getLayer(id: string): unknown;
  getSource(id: string): { getData(): Promise<{ features: Array<{ properties: Record<string, unknown> }> }> } | undefined;
  getPaintProperty(layer: string, name: string): unknown;
  project(lngLat: [number, number]): { x: number; y: number };
}

/** The live map on the console's Protomaps file, and the layers a planner switches on, in headless Chromium. */
describe('live map: Protomaps basemap and switchable layers', () => {
  let db: Database;
  let app: FastifyInstance;
  let url: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  const newPage = (): Promise<Page> => newContextPage(browser, contexts, { locale: 'en-GB', viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });

  beforeAll(async () => {
    ensureWebAppBuilt();
    db = await createEmbeddedDatabase({ dataDir: 'memory://' });
    await migrate(db);
    await insertDevices(db, [
      { id: 'ytm-loop-1', kind: 'loop_detector', district: 'E', road: 'Nathan Road', lat: 22.3193, lon: 114.1694 },
      { id: 'tst-cam-1', kind: 'camera', district: 'E', road: 'Canton Road', lat: 22.2988, lon: 114.1722 },
    ]);
    await db.query(`INSERT INTO analytics_free_flow (device_id, configured_kmh) VALUES ('ytm-loop-1', 60)`);
    const tenMinutesAgo = Date.now() - 10 * 60_000;
    await insertTelemetry(db, [
      { time: tenMinutesAgo, deviceId: 'ytm-loop-1', volume: 40, speedKmh: 12 },
      { time: tenMinutesAgo, deviceId: 'tst-cam-1', person: 420 },
    ]);
    const opened = new Date(Date.now() - 86_400_000).toISOString();
    await insertIncidents(db, [1, 2, 3].map(() => ({ type: 'collision', deviceId: 'ytm-loop-1', district: 'E', lat: 22.3193, lon: 114.1694, openedAt: opened })));
    await refreshAggregates(db);
    await addUser(db, 'pia', 'planner');
    await addUser(db, 'victor', 'viewer');
    app = await build({ db, accounts: { scryptCost: TEST_SCRYPT_COST, loginRateLimit: 1000 }, analytics: { rateLimit: false }, basemap: { pmtiles: FIXTURE_FILE } });
    url = (await listen(app, 0)).url;
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await app?.close();
    await db?.close();
  });

  it('draws the Protomaps basemap from the console\'s file (206 Range answers) with its © OpenStreetMap attribution', async () => {
    const page = await newPage();
    const statuses: number[] = [];
    page.on('response', (response) => {
      if (new URL(response.url()).pathname === '/basemap/tiles.pmtiles') statuses.push(response.status());
    });
    await signInPage(page, url, 'pia');
    await mapReady(page);
    const [west, south, east, north] = FIXTURE_WATER;
    await jumpAndRender(page, [(west + east) / 2, (south + north) / 2], 10);
    expect(statuses.length).toBeGreaterThanOrEqual(2);
    expect(new Set(statuses)).toEqual(new Set([206]));
    await expect.poll(() => page.locator('.maplibregl-ctrl-attrib').innerText()).toContain('© OpenStreetMap');
    // The water colour where the fixture's water rectangle is: sample a grid inside it (district lines cross some points).
    const probe = await page.evaluate(
      ([w, s, e, n]) => {
        const map = (globalThis as unknown as { streetwiseMap: LayersMap }).streetwiseMap;
        const points: Array<{ x: number; y: number }> = [];
        for (let i = 1; i <= 5; i++) for (let j = 1; j <= 3; j++) points.push(map.project([w + ((e - w) * i) / 6, s + ((n - s) * j) / 4]));
        return { points, water: String(map.getPaintProperty('basemap-water', 'fill-color')) };
      },
      FIXTURE_WATER,
    );
    const box = (await page.getByTestId('map').boundingBox())!;
    const { PNG } = await import('pngjs');
    const png = PNG.sync.read(await page.screenshot({ clip: box }));
    const hex = ({ x, y }: { x: number; y: number }) => {
      const at = (Math.round(y) * png.width + Math.round(x)) * 4;
      return `#${[0, 1, 2].map((k) => png.data[at + k]!.toString(16).padStart(2, '0')).join('')}`;
    };
    const inWater = probe.points.map(hex).filter((colour) => colour === probe.water.toLowerCase()).length;
    expect(inWater, `${probe.points.map(hex).join(' ')} vs ${probe.water}`).toBeGreaterThanOrEqual(10);
    await screenshot(page, 'map-basemap-pmtiles');
  });

  it('a planner switches layers on from the keyboard; each reads its API route and draws what it answered', async () => {
    const page = await newPage();
    await signInPage(page, url, 'pia');
    await mapReady(page);
    const control = page.getByTestId('layer-control');
    await expect.poll(() => control.locator('input[type=checkbox]').count()).toBe(4);
    for (const label of ['Congestion at detectors', 'Crowds', 'Incident hot spots', 'Device coverage']) expect(await page.getByLabel(label).count()).toBe(1);
    const congestion = page.getByLabel('Congestion at detectors');
    const answered = page.waitForResponse((response) => response.url().includes('/api/v1/analytics/speed?'));
    await congestion.focus();
    await page.keyboard.press('Space');
    expect(await congestion.isChecked()).toBe(true);
    expect((await answered).status()).toBe(200);
    const featuresOf = (source: string) => page.evaluate(async (id) => (await (globalThis as unknown as { streetwiseMap: LayersMap }).streetwiseMap.getSource(id)?.getData())?.features.map((f) => f.properties) ?? [], source);
    await until(async () => (await featuresOf('layer-congestion')).length === 1, 'the congestion layer has the detector');
    expect((await featuresOf('layer-congestion'))[0]).toMatchObject({ group: 'ytm-loop-1', congestionIndex: 0.2 });
    for (const label of ['Crowds', 'Incident hot spots', 'Device coverage']) await page.getByLabel(label).check();
    await until(async () => (await featuresOf('layer-crowd')).some((p) => p['persons'] === 420), 'the crowd layer has the footfall');
    await until(async () => (await featuresOf('layer-hotspots')).some((p) => p['incidents'] === 3), 'the hot-spot hexagon has 3 incidents');
    await until(async () => (await featuresOf('layer-coverage')).length === 2, 'the coverage layer has both devices');
    expect(await page.evaluate(() => ['layer-congestion', 'layer-crowd', 'layer-hotspots', 'layer-coverage'].every((id) => Boolean((globalThis as unknown as { streetwiseMap: LayersMap }).streetwiseMap.getLayer(id))))).toBe(true);
    await jumpAndRender(page, [114.17, 22.31], 13);
    await screenshot(page, 'map-layers-planner');
    await page.getByLabel('Crowds').uncheck();
    await until(async () => !(await page.evaluate(() => Boolean((globalThis as unknown as { streetwiseMap: LayersMap }).streetwiseMap.getLayer('layer-crowd')))), 'the crowd layer is taken off');
  });

  it('MAP_STYLE: the browser loads that style (relative URLs read against it) and draws devices and incidents on top', async () => {
    // A tile server's style: one background layer and a GeoJSON source given by a relative URL.
    const styleServer = createServer((request, response) => {
      const cors = { 'access-control-allow-origin': '*', 'content-type': 'application/json' };
      if (request.url === '/styles/city.json') {
        response.writeHead(200, cors).end(JSON.stringify({
          version: 8,
          sources: { coast: { type: 'geojson', data: '../data/coast.geojson' } },
          layers: [{ id: 'city-background', type: 'background', paint: { 'background-color': '#123456' } }, { id: 'city-coast', type: 'line', source: 'coast', paint: { 'line-color': '#ffffff' } }],
        }));
      } else if (request.url === '/data/coast.geojson') {
        response.writeHead(200, cors).end(JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [[114.1, 22.3], [114.2, 22.3]] } }] }));
      } else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => styleServer.listen(0, '127.0.0.1', resolve));
    const styleUrl = `http://127.0.0.1:${(styleServer.address() as AddressInfo).port}/styles/city.json`;
    const styled = await build({ db, accounts: { scryptCost: TEST_SCRYPT_COST, loginRateLimit: 1000 }, analytics: false, basemap: { style: styleUrl } });
    const page = await newPage();
    try {
      await signInPage(page, (await listen(styled, 0)).url, 'pia');
      await mapReady(page);
      const drawn = await page.evaluate(() => {
        const map = (globalThis as unknown as { streetwiseMap: LayersMap & { getStyle(): { layers: Array<{ id: string }> } } }).streetwiseMap;
        return { layers: map.getStyle().layers.map((l) => l.id), coast: Boolean(map.getSource('coast')) };
      });
      expect(drawn.layers.slice(0, 2)).toEqual(['city-background', 'city-coast']);
      expect(drawn.layers).toEqual(expect.arrayContaining(['district-line', 'device-point', 'incident']));
      expect(drawn.layers).not.toContain('background'); // the offline sea would hide the city's map
      expect(drawn.coast).toBe(true);
      const coastLoaded = () => page.evaluate(async () => ((await (globalThis as unknown as { streetwiseMap: LayersMap }).streetwiseMap.getSource('coast')?.getData())?.features.length ?? 0));
      await until(async () => (await coastLoaded()) === 1, 'the style\'s relative GeoJSON URL is loaded');
    } finally {
      // The page's live feed and Chromium's keep-alive connections would hold both servers open.
      await page.context().close();
      await styled.close();
      styleServer.closeAllConnections();
      await new Promise((resolve) => styleServer.close(resolve));
    }
  });

  it('a viewer sees only the coverage layer (the analytics layers are planners\')', async () => {
    const page = await newPage();
    await signInPage(page, url, 'victor');
    await mapReady(page);
    await expect.poll(() => page.getByTestId('layer-control').locator('input[type=checkbox]').count()).toBe(1);
    expect(await page.getByLabel('Device coverage').count()).toBe(1);
    expect(await page.getByLabel('Congestion at detectors').count()).toBe(0);
    expect((await page.evaluate(() => (globalThis as unknown as PageGlobals).streetwiseMap !== undefined))).toBe(true);
  });
});
