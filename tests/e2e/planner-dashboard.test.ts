import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { insertDevices, insertIncidents, insertTelemetry, refreshAggregates, type SeedTelemetry } from '@streetwise/analytics';
import { createEmbeddedDatabase, migrate, type Database } from '@streetwise/db';
import { build, listen } from '@streetwise/console';
import { launchChromium } from '../src/browser.js';
import { addUser, bearerFor, TEST_SCRYPT_COST } from '../src/console-auth.js';
import { ensureWebAppBuilt } from '../src/web-app.js';
import { screenshot, signInPage, until, newContextPage } from '../src/web-page.js';

const HOUR_MS = 3_600_000;
const MIN_MS = 60_000;
/** The end of the dashboard's "last 24 h": the next whole hour (planning/filters.ts). */
const top = Math.ceil(Date.now() / HOUR_MS) * HOUR_MS;
/**
 * Hand-made telemetry, hourly buckets of the last 24 hours:
 * - A = top − 5 h: st-cam-1 (Sha Tin) 12 readings of car 10 + bus 2 = 144 motor vehicles, speed 40;
 *   ytm-cam-1 (Yau Tsim Mong) 12 readings of car 100 = 1200. All of Hong Kong: 1344; Sha Tin: 144.
 * - B = top − 4 h: nothing at all (a gap in every chart).
 * - C = top − 3 h: st-cam-1 12 readings of car 5 = 60, speed 30.
 * - A − 24 h (the previous period, drawn under A): st-cam-1 12 readings of car 3 = 36.
 * - ytm-aq-1 (air quality, Yau Tsim Mong): one reading in A of PM2.5 60, NO2 250, noise 72 dBA: above the
 *   NO2 1-hour AQO (200 µg/m³) and the noise guideline (70 dBA) once each.
 * - A forecast for st-cam-1's 5-minute interval at C, made 15 minutes before: 9 vehicles (actual: 5).
 * st-cam-2 (Sha Tin) never reports: 4 devices are registered, 3 reported in A, 1 in C, 0 in B.
 */
const A = top - 5 * HOUR_MS;
const B = top - 4 * HOUR_MS;
const C = top - 3 * HOUR_MS;
const iso = (ms: number) => new Date(ms).toISOString();

function twelve(start: number, deviceId: string, reading: Omit<SeedTelemetry, 'time' | 'deviceId'>): SeedTelemetry[] {
  return Array.from({ length: 12 }, (_, i) => ({ time: start + i * 5 * MIN_MS, deviceId, ...reading }));
}

interface Drawn {
  x: string[];
  series: Record<string, Array<number | null>>;
}

async function drawn(page: Page, testId: string): Promise<Drawn> {
  return JSON.parse((await page.getByTestId(testId).getAttribute('data-drawn')) ?? '{}') as Drawn;
}

/** The value a chart drew for a series at a bucket start. */
const at = (chart: Drawn, series: string, ms: number) => {
  const i = chart.x.indexOf(iso(ms));
  return i < 0 ? 'not drawn' : chart.series[series]?.[i];
};

/** The planners' dashboards against a real console (embedded database, analytics API), in headless Chromium. */
describe('planner dashboards in headless Chromium', () => {
  let db: Database;
  let app: FastifyInstance;
  let url: string;
  let browser: Browser;
  let plannerAuth: { authorization: string };
  const contexts: BrowserContext[] = [];

  const newPage = (): Promise<Page> => newContextPage(browser, contexts, { locale: 'en-GB', viewport: { width: 1400, height: 1000 }, acceptDownloads: true });

  beforeAll(async () => {
    ensureWebAppBuilt();
    db = await createEmbeddedDatabase({ dataDir: 'memory://' });
    await migrate(db);
    await insertDevices(db, [
      { id: 'st-cam-1', kind: 'camera', district: 'R', road: 'Tai Po Road', lat: 22.3817, lon: 114.1885 },
      { id: 'st-cam-2', kind: 'camera', district: 'R', road: 'Tai Po Road', lat: 22.3861, lon: 114.1925 },
      { id: 'ytm-cam-1', kind: 'camera', district: 'E', road: 'Nathan Road', lat: 22.312, lon: 114.171 },
      { id: 'ytm-aq-1', kind: 'air_quality', district: 'E', road: null, lat: 22.318, lon: 114.169 },
    ]);
    await insertTelemetry(db, [
      ...twelve(A, 'st-cam-1', { car: 10, bus: 2, speedKmh: 40 }),
      ...twelve(A, 'ytm-cam-1', { car: 100 }),
      ...twelve(C, 'st-cam-1', { car: 5, speedKmh: 30 }),
      ...twelve(A - 24 * HOUR_MS, 'st-cam-1', { car: 3 }),
      { time: A + 30 * MIN_MS, deviceId: 'ytm-aq-1', intervalS: 3600, pm25: 60, no2: 250, noiseDba: 72 },
    ]);
    // Two collisions in Sha Tin resolved as a false alarm and as handled: false-alarm share 0.5.
    const collision = { type: 'collision', deviceId: 'st-cam-1', district: 'R', lat: 22.3817, lon: 114.1885, openedAt: iso(C), acknowledgedAt: iso(C + 60_000), resolvedAt: iso(C + 600_000) };
    await insertIncidents(db, [collision, { ...collision, openedAt: iso(C + MIN_MS) }]);
    await db.query("UPDATE incidents SET outcome = CASE WHEN opened_at = $1::timestamptz THEN 'false_alarm' ELSE 'handled' END", [iso(C)]);
    await db.query(
      `INSERT INTO forecasts (device_id, horizon_min, target_time, issued_at, flow, speed_kmh, model_name, model_version)
       VALUES ('st-cam-1', 15, $1::timestamptz, $2::timestamptz, 9, 31, 'test', 'v-test')`,
      [iso(C), iso(C - 15 * MIN_MS)],
    );
    await refreshAggregates(db);
    await addUser(db, 'pat', 'planner');
    await addUser(db, 'olivia', 'operator');
    plannerAuth = await bearerFor(db, 'pat-token', 'planner');
    app = await build({ db, accounts: { scryptCost: TEST_SCRYPT_COST, loginRateLimit: 1000 }, analytics: { rateLimit: false } });
    url = (await listen(app, 0)).url;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await app?.close();
    await db?.close();
  });

  async function openPlanning(page: Page): Promise<void> {
    await signInPage(page, url, 'pat');
    await page.getByTestId('view-planning').click();
    await page.getByTestId('planning').waitFor();
    expect(new URL(page.url()).hash).toBe('#/planning');
  }

  it('draws the seeded volumes, the gap where nothing reported and the previous period; a district or a clicked H3 cell narrows them', async () => {
    const page = await newPage();
    await openPlanning(page);
    await page.locator('[data-testid=volume][data-drawn]').waitFor();
    await until(async () => at(await drawn(page, 'volume'), 'motorVehicles', A) === 1344, 'the volume chart drawing 1344 at A');
    const all = await drawn(page, 'volume');
    expect(all.x).toHaveLength(24);
    expect(at(all, 'motorVehicles', B)).toBeNull();
    expect(at(all, 'motorVehicles', C)).toBe(60);
    expect(at(all, 'motorVehiclesPrevious', A)).toBe(36);
    expect(Number(await page.getByTestId('volume-gaps').getAttribute('data-gaps'))).toBe(22);
    // Period over period (GET /analytics/change): 1344 + 60 = 1404 against 36, +3800 %.
    await page.getByTestId('volume-change').waitFor();
    const change = page.getByTestId('volume-change');
    expect([await change.getAttribute('data-current'), await change.getAttribute('data-previous'), await change.getAttribute('data-change-pct')]).toEqual(['1404', '36', '3800']);
    expect(await change.textContent()).toBe('This period 1,404, previous 36: +3,800 %');
    // Completeness: 4 devices registered; 3 reported in A, none in B, 1 in C.
    await until(async () => at(await drawn(page, 'coverage'), 'reporting', A) === 3, 'coverage drawn');
    const coverage = await drawn(page, 'coverage');
    expect([at(coverage, 'reporting', B), at(coverage, 'reporting', C), at(coverage, 'expected', A)]).toEqual([0, 1, 4]);
    // Air and noise with the AQO lines the API knows, and how often each was exceeded.
    await until(async () => at(await drawn(page, 'air'), 'no2Avg', A) === 250 && ((await drawn(page, 'air')) as Drawn & { limits: unknown[] }).limits.length === 2, 'the air chart with its AQO lines');
    const air = (await drawn(page, 'air')) as Drawn & { limits: Array<{ label: string; value: number }> };
    expect(at(air, 'pm25Avg', A)).toBe(60);
    expect(air.limits).toEqual([
      { label: 'AQO PM2.5 24h 50 µg/m³ (exceeded 0×)', value: 50 },
      { label: 'AQO NO₂ 1h 200 µg/m³ (exceeded 1×)', value: 200 },
    ]);
    await until(async () => ((await drawn(page, 'noise')) as Drawn & { limits: unknown[] }).limits.length === 1, 'the noise chart with its guideline');
    const noise = (await drawn(page, 'noise')) as Drawn & { limits: Array<{ label: string; value: number }> };
    expect(at(noise, 'noiseDbaAvg', A)).toBe(72);
    expect(noise.limits).toEqual([{ label: 'Noise guideline 1h 70 dBA (exceeded 1×)', value: 70 }]);
    // Speed in A is Sha Tin's camera alone (the other camera has no speed): 40 km/h; 30 in C.
    await until(async () => at(await drawn(page, 'speed'), 'speedKmhAvg', C) === 30, 'the speed chart');
    expect(at(await drawn(page, 'speed'), 'speedKmhAvg', A)).toBe(40);
    // The false-alarm share of the two collisions.
    await page.locator('[data-testid=kpi-table] tr[data-type=collision]').waitFor();
    expect(await page.locator('[data-testid=kpi-table] tr[data-type=collision]').getAttribute('data-false-alarm-share')).toBe('0.5');
    // The hour-of-week cell of A holds A's 1344.
    const hk = new Date(A + 8 * HOUR_MS);
    const cell = [((hk.getUTCDay() + 6) % 7) + 1, hk.getUTCHours(), 1344];
    await until(async () => ((await page.getByTestId('heatmap').getAttribute('data-cells')) ?? '').includes(JSON.stringify(cell)), 'the heat map cell of A');
    await until(async () => JSON.parse((await page.getByTestId('hex-map').getAttribute('data-cells')) ?? '[]').length === 2, 'two hexagons on the choropleth');
    // The forecast beside the actual flow of st-cam-1 (the first traffic device) in C's first 5 minutes.
    await until(async () => (await page.getByTestId('forecast').count()) === 1 && at(await drawn(page, 'forecast'), 'forecastFlow', C) === 9, 'the forecast chart');
    expect(at(await drawn(page, 'forecast'), 'actualFlow', C)).toBe(5);
    expect(at(await drawn(page, 'forecast'), 'forecastFlow', C + 5 * MIN_MS)).toBeNull();
    await page.setViewportSize({ width: 1400, height: 2300 });
    await until(async () => JSON.parse((await page.getByTestId('hex-map').getAttribute('data-cells')) ?? '[]').length === 2, 'the choropleth after resizing');
    await screenshot(page, 'planner-dashboard');

    await page.getByTestId('district').selectOption('R');
    await until(async () => at(await drawn(page, 'volume'), 'motorVehicles', A) === 144, 'Sha Tin alone: 144 at A');
    expect(at(await drawn(page, 'volume'), 'motorVehicles', C)).toBe(60);

    // Back to all districts, then a click on Yau Tsim Mong's hexagon makes it the H3 filter: 1200 at A, nothing in C.
    await page.getByTestId('district').selectOption('');
    await until(async () => at(await drawn(page, 'volume'), 'motorVehicles', A) === 1344, 'all of Hong Kong again');
    await until(async () => JSON.parse((await page.getByTestId('hex-map').getAttribute('data-cells')) ?? '[]').length === 2, 'both hexagons again');
    const point = await page.evaluate(() => {
      const map = (globalThis as unknown as { streetwiseChoropleth: { project(lngLat: [number, number]): { x: number; y: number } } }).streetwiseChoropleth;
      return map.project([114.171, 22.312]);
    });
    const box = (await page.getByTestId('hex-map').boundingBox())!;
    await page.mouse.click(box.x + point.x, box.y + point.y);
    await until(async () => (await page.getByTestId('h3').inputValue()).length === 15, 'the clicked cell in the H3 filter');
    await until(async () => at(await drawn(page, 'volume'), 'motorVehicles', A) === 1200, 'the Yau Tsim Mong cell alone: 1200 at A');
    expect(at(await drawn(page, 'volume'), 'motorVehicles', C)).toBeNull();
    expect(await page.getByTestId('volume-csv').getAttribute('data-url')).toContain(`h3=${await page.getByTestId('h3').inputValue()}`);
  });

  it('exports as CSV exactly the API answer for the chart\'s query', async () => {
    const page = await newPage();
    await openPlanning(page);
    await until(async () => at(await drawn(page, 'volume'), 'motorVehicles', A) === 1344, 'the volume chart');
    const query = await page.getByTestId('volume-csv').getAttribute('data-url');
    expect(query).toMatch(/^\/api\/v1\/analytics\/volume\?/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('volume-csv').click()]);
    const file = readFileSync(await download.path(), 'utf8');
    const api = await app.inject({ method: 'GET', url: `${query}&format=csv`, headers: plannerAuth });
    expect(api.statusCode).toBe(200);
    expect(file).toBe(api.body);
    // The CSV holds the drawn numbers: A's 1344 and C's 60.
    expect(file.split('\r\n').filter((line) => line.startsWith(iso(A)) || line.startsWith(iso(C))).map((line) => line.split(',').at(-1))).toEqual(['1344', '60']);
    expect(download.suggestedFilename()).toBe('volume.csv');
  });

  it('refetches when the time range changes, and a reload keeps the Planning view', async () => {
    const page = await newPage();
    const volumeRequests: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/v1/analytics/volume?') && !request.url().includes('groupBy=h3')) volumeRequests.push(request.url());
    });
    await openPlanning(page);
    await until(async () => at(await drawn(page, 'volume'), 'motorVehicles', A) === 1344, 'the volume chart');
    const before = volumeRequests.length;
    expect(before).toBe(2); // the range and the previous period
    await page.getByTestId('range-7d').check();
    await until(async () => (await drawn(page, 'volume')).x.length === 168, '168 hourly buckets for 7 days');
    expect(volumeRequests.length).toBe(before + 2);
    const from = new URL(volumeRequests.at(-2)!, url).searchParams.get('from');
    // `top` was taken when the test started; the page's clock may have passed the next hour since.
    expect([iso(top - 7 * 24 * HOUR_MS), iso(top + HOUR_MS - 7 * 24 * HOUR_MS)]).toContain(from);
    expect(at(await drawn(page, 'volume'), 'motorVehicles', A - 24 * HOUR_MS)).toBe(36);

    await page.reload();
    await page.getByTestId('planning').waitFor({ timeout: 20_000 });
    // The tabs work from the keyboard: arrow keys move between them.
    await page.getByTestId('view-planning').focus();
    await page.keyboard.press('ArrowLeft');
    await page.getByTestId('map').waitFor();
    expect(new URL(page.url()).hash).toBe('#/');
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(name: string): string | null } | null } }).document.activeElement?.getAttribute('data-view-tab'))).toBe('operations');
  });

  it('speaks 繁體中文: tabs, filters and the districts\' Chinese names', async () => {
    const page = await newPage();
    await openPlanning(page);
    await page.getByTestId('language').selectOption('zh-HK');
    await until(async () => (await page.getByTestId('view-planning').textContent()) === '規劃', 'the Planning tab in Chinese');
    expect(await page.locator('[data-testid=planning-filters] legend').textContent()).toBe('時段');
    expect(await page.locator('[data-testid=district] option[value=R]').textContent()).toBe('沙田 Sha Tin');
    await until(async () => at(await drawn(page, 'volume'), 'motorVehicles', A) === 1344, 'the volume chart');
    await screenshot(page, 'planner-dashboard-zh-hk');
    await page.getByTestId('theme').selectOption('dark');
    await until(async () => (await page.locator('html').getAttribute('data-theme')) === 'dark', 'the dark theme');
    await until(async () => at(await drawn(page, 'volume'), 'motorVehicles', A) === 1344, 'the volume chart redrawn');
    await screenshot(page, 'planner-dashboard-dark');
  });

  it('an operator has no Planning tab, and #/planning shows the operations view', async () => {
    const page = await newPage();
    await signInPage(page, url, 'olivia');
    expect(await page.getByTestId('view-planning').count()).toBe(0);
    await page.goto(`${url}#/planning`);
    await page.getByTestId('shell').waitFor();
    await page.getByTestId('map').waitFor();
    expect(await page.getByTestId('planning').count()).toBe(0);
    const refused = await page.evaluate(async () => (await fetch('/api/v1/analytics/volume')).status);
    expect(refused).toBe(403);
  });
});
