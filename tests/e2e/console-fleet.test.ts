import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../src/browser.js';
import { FLEET_CAMERA, FLEET_SENSOR, startFleetRig, type FleetRig } from '../src/fleet-rig.js';
import { ensureWebAppBuilt } from '../src/web-app.js';
import { screenshot, signInPage, until, newContextPage } from '../src/web-page.js';

/**
 * The admins' fleet view in headless Chromium against a real console whose config pushes go, through the
 * embedded broker with identity's checks on, to real edge agents; their confirmation comes back through
 * ingest and the database to the page.
 */
describe('fleet view in headless Chromium', () => {
  let rig: FleetRig;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  const newPage = (locale = 'en-GB'): Promise<Page> => newContextPage(browser, contexts, { locale, viewport: { width: 1440, height: 900 } });

  async function openFleet(page: Page, username: string): Promise<void> {
    await signInPage(page, rig.url!, username);
    await page.getByTestId('view-fleet').click();
    await page.getByTestId('fleet-view').waitFor();
    await page.locator('[data-testid=fleet-downlink][data-state=connected]').waitFor({ timeout: 15_000 });
    await page.getByTestId(`fleet-row-${FLEET_CAMERA}`).waitFor();
  }

  beforeAll(async () => {
    ensureWebAppBuilt();
    rig = await startFleetRig({ listen: true });
    browser = await launchChromium();
  }, 90_000);
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await rig?.stop();
  });

  it('an admin sees the fleet\'s health, sorts it, and filters it by kind', async () => {
    const page = await newPage();
    await openFleet(page, 'ada');
    await until(async () => (await page.getByTestId(`fleet-row-${FLEET_SENSOR}`).count()) === 1, 'both devices listed');
    expect(await page.getByTestId(`fleet-row-${FLEET_CAMERA}`).getAttribute('data-state')).toBe('online');
    expect(await page.getByTestId(`config-${FLEET_CAMERA}`).textContent()).toContain('v0');
    const rowIds = () => page.locator('[data-testid^=fleet-row-]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-testid')!.slice('fleet-row-'.length)));
    expect(await rowIds()).toEqual([FLEET_CAMERA, FLEET_SENSOR].sort());
    await page.getByTestId('sort-id').click();
    await until(async () => (await rowIds()).join() === [FLEET_CAMERA, FLEET_SENSOR].sort().reverse().join(), 'sorted by id, descending');
    await page.getByTestId('fleet-kind').selectOption('air_quality');
    await until(async () => (await rowIds()).join() === FLEET_SENSOR, 'only the air-quality sensor');
    await page.getByTestId('fleet-kind').selectOption('');
    await until(async () => (await rowIds()).length === 2, 'both again');
    await screenshot(page, 'fleet-view');
  });

  it('an admin pushes a threshold change to one device and sees it confirmed by the real edge agent', async () => {
    const page = await newPage();
    await openFleet(page, 'ada');
    await page.getByTestId(`select-${FLEET_CAMERA}`).check();
    await page.getByTestId('threshold-default').fill('0.45');
    await page.getByTestId('threshold-person').fill('0.6');
    await page.getByTestId('push-submit').click();
    const status = page.getByTestId(`push-device-${FLEET_CAMERA}`);
    await status.waitFor({ timeout: 10_000 });
    await until(async () => (await status.getAttribute('data-status')) === 'confirmed', 'the push confirmed in the page', 20_000);
    expect(rig.camera.configVersion).toBe(1);
    expect(rig.delivered.map((d) => d.json)).toEqual([expect.objectContaining({ configVersion: 1, patch: { thresholds: { default: 0.45, person: 0.6 } } })]);
    // The table follows: the device now reports config v1.
    await until(async () => ((await page.getByTestId(`config-${FLEET_CAMERA}`).textContent()) ?? '').includes('v1'), 'the table shows v1');
    await screenshot(page, 'fleet-push-confirmed');
  });

  it('shows the API\'s refusal of a bad patch with the field named, and sends nothing', async () => {
    const page = await newPage('zh-HK');
    await openFleet(page, 'ada');
    const sent = rig.delivered.length;
    await page.getByTestId(`select-${FLEET_CAMERA}`).check();
    await page.getByTestId('push-mode-json').check();
    await page.getByTestId('push-json').fill('{ "thresholds": { "car": 2 } }');
    await page.getByTestId('push-submit').click();
    const problem = page.getByTestId('push-problem');
    await problem.waitFor();
    expect(await problem.getAttribute('data-field')).toBe('patch.thresholds.car');
    expect(await problem.textContent()).toContain('已拒絕');
    expect(rig.delivered.length).toBe(sent);
    await screenshot(page, 'fleet-push-refused-zh-hk');
  });

  it('a viewer has no fleet view: no tab, and #/fleet shows operations', async () => {
    const page = await newPage();
    await signInPage(page, rig.url!, 'victor');
    expect(await page.getByTestId('view-fleet').count()).toBe(0);
    await page.goto(`${rig.url!}/#/fleet`);
    await page.getByTestId('shell').waitFor();
    expect(await page.getByTestId('fleet-view').count()).toBe(0);
  });
});
