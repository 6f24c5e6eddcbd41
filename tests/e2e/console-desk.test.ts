import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { RunningStack } from '@streetwise/stack';
import { launchChromium } from '../src/browser.js';
import { addUsers, connectDevice, openIncidentOf, screenshot, signInBrowser, startDeskStack, type TestDevice } from '../src/desk-harness.js';

/**
 * The incident desk in Debian's headless Chromium, against the whole stack (embedded database and broker,
 * ingest, the console serving the built web app): incidents raised by devices over MQTT, operators acting
 * on them in two browsers, a viewer who can only look.
 */
describe('the incident desk in headless Chromium', () => {
  let stack: RunningStack;
  let browser: Browser;
  const devices: TestDevice[] = [];

  beforeAll(async () => {
    stack = await startDeskStack();
    await addUsers(stack, { 'op-ana': 'operator', 'op-ben': 'operator', 'vic-viewer': 'viewer' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const device of devices) await device.close();
    await browser?.close();
    await stack?.stop();
  });

  async function device(id: string): Promise<TestDevice> {
    const connected = await connectDevice(stack, id);
    devices.push(connected);
    return connected;
  }

  it('shows an incident published over MQTT by a device in the queue within 1 s, with the alert sound once enabled', async () => {
    const ana = await signInBrowser(browser, stack.consoleUrl, 'op-ana');
    const { page } = ana;
    const camera = await device('cam-desk-1');
    // Blocked by the browser until a gesture: the control says so.
    await expect(page.locator('[data-testid="sound"]').getAttribute('data-status')).resolves.toBe('locked');
    await expect(page.locator('[data-testid="enable-sound"]').isVisible()).resolves.toBe(true);

    const row = page.locator('[data-testid="queue-row"][data-device-id="cam-desk-1"]');
    const publishedAt = Date.now();
    await camera.publishEvent({ type: 'collision', severity: 'critical', class: 'car', confidence: 0.91 });
    await row.waitFor({ timeout: 5_000 });
    const toScreenMs = Date.now() - publishedAt;
    expect(toScreenMs).toBeLessThanOrEqual(1000);
    const id = await openIncidentOf(stack, 'cam-desk-1');
    expect(await row.getAttribute('data-incident-id')).toBe(id);
    expect(await row.locator('[data-testid="row-status"]').textContent()).toBe('Open');
    expect(await row.locator('[data-testid="ack-timer"]').getAttribute('data-level')).toBe('ok');

    // A critical incident nobody acknowledged: after "enable sound" the beeps start and repeat.
    await page.locator('[data-testid="enable-sound"]').click();
    await page.locator('[data-testid="sound"][data-status="alerting"]').waitFor({ timeout: 5_000 });
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="sound"]')?.getAttribute('data-beeps')) >= 1, undefined, { timeout: 5_000 });
    await page.locator('[data-testid="mute-15"]').click();
    expect(await page.locator('[data-testid="sound"]').getAttribute('data-status')).toBe('muted');
    await screenshot(page, 'desk-queue-en');
    expect(ana.errors).toEqual([]);
    await ana.context.close();
    console.log(`incident to screen: ${toScreenMs} ms`);
  });
});
