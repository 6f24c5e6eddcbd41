/**
 * Driving the operators' web app in Chromium: sign in through its form, read the live map's sources, and
 * keep a screenshot of every step (tests/screenshots/, git-ignored) on every run.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { waitFor } from '@streetwise/testing';
import { TEST_PASSWORD } from './console-auth.js';

/** What the tests use of the page's live map (`window.streetwiseMap`, a maplibre Map); tests have no DOM types. */
interface MapHandle {
  loaded(): boolean;
  isStyleLoaded(): boolean | void;
  getSource(id: string): unknown;
  once(event: 'idle', listener: () => void): unknown;
  jumpTo(options: { center: [number, number]; zoom: number }): unknown;
  triggerRepaint(): void;
  queryRenderedFeatures(options: { layers: string[] }): Array<{ properties: Record<string, unknown> }>;
  getLayoutProperty(layer: string, name: string): unknown;
}
export interface PageGlobals {
  streetwiseMap?: MapHandle;
}

export const SCREENSHOTS_DIR = fileURLToPath(new URL('../screenshots/', import.meta.url));

/**
 * A page in a browser context of its own (pushed on `contexts`, for the suite to close), whose uncaught
 * errors go to the test's log.
 */
export async function newContextPage(browser: Browser, contexts: BrowserContext[], options: BrowserContextOptions): Promise<Page> {
  const context = await browser.newContext(options);
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('page error:', error.message));
  return page;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS_DIR}${name}.png` });
}

/** Signs in through the page's form and waits for the app with its live feed online. */
export async function signInPage(page: Page, baseUrl: string, username: string, password = TEST_PASSWORD): Promise<void> {
  await page.goto(baseUrl);
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill(password);
  await page.locator('form button[type=submit]').click();
  await page.getByTestId('shell').waitFor({ timeout: 20_000 });
  await page.locator('[data-testid=connection][data-state=online]').waitFor({ timeout: 20_000 });
}

/** Waits until the live map has loaded its style and sources. */
export async function mapReady(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const map = (globalThis as unknown as PageGlobals).streetwiseMap;
      return map?.loaded() === true && map.isStyleLoaded() === true;
    },
    undefined,
    { timeout: 30_000 },
  );
}

/** The device's properties as the map's devices source holds them now (after every updateData). */
export async function deviceInSource(page: Page, id: string): Promise<Record<string, unknown> | undefined> {
  return page.evaluate(async (deviceId) => {
    const source = (globalThis as unknown as PageGlobals).streetwiseMap?.getSource('devices') as { getData(): Promise<{ features: Array<{ id?: unknown; properties: Record<string, unknown> }> }> } | undefined;
    const data = await source?.getData();
    return data?.features.find((f) => String(f.id) === deviceId)?.properties;
  }, id);
}

/** Moves the map and resolves when it has rendered the new view. */
export async function jumpAndRender(page: Page, center: [number, number], zoom: number): Promise<void> {
  await page.evaluate(
    ([lon, lat, z]) =>
      new Promise<void>((resolve) => {
        const map = (globalThis as unknown as PageGlobals).streetwiseMap!;
        map.once('idle', () => resolve());
        map.jumpTo({ center: [lon, lat], zoom: z });
        map.triggerRepaint();
      }),
    [center[0], center[1], zoom] as const,
  );
}

/** Properties of the features drawn in a layer right now (what is on screen). */
export async function renderedIn(page: Page, layer: string): Promise<Array<Record<string, unknown>>> {
  return page.evaluate((id) => (globalThis as unknown as PageGlobals).streetwiseMap!.queryRenderedFeatures({ layers: [id] }).map((f) => f.properties), layer);
}

/** Waits until `probe` (run in the test, not the page) holds. */
export async function until(probe: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  await waitFor(probe, { timeoutMs, what });
}
