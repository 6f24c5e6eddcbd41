import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { launchChromium } from '../src/browser.js';
import { FIXTURE_WATER } from '../src/render/make-pmtiles.js';
import { compareWithExpected, renderCase, renderCases, scenarioOf, startRenderServer } from '../src/render/render-harness.js';

/**
 * The map's pictures: the offline style and every switchable layer drawn from fixture data in headless
 * Chromium, compared with the committed expected.png of each tests/render/ folder. Text is left out (fonts
 * differ between machines). After a deliberate change, `UPDATE=1 npx vitest run tests/e2e/render.test.ts`
 * draws new expected images: look at them before committing.
 */
describe('render tests: map style and layers against expected images', () => {
  let browser: Browser;
  let server: Server;
  let baseUrl: string;
  let ranges: number[];

  beforeAll(async () => {
    ({ server, url: baseUrl, ranges } = await startRenderServer());
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('has a case for the offline style, each layer and the Protomaps basemap', () => {
    expect(renderCases()).toEqual(['basemap-pmtiles', 'layer-congestion', 'layer-coverage', 'layer-crowd', 'layer-hotspots', 'offline-dark', 'offline-light']);
  });

  for (const name of renderCases()) {
    it(`${name}: ${scenarioOf(name).description}`, async () => {
      const comparison = compareWithExpected(name, await renderCase(browser, baseUrl, name));
      expect(comparison.ratio, `${comparison.differentPixels} pixels differ: see tests/render/__actual__/${name}/diff.png`).toBeLessThanOrEqual(comparison.maxRatio);
    });
  }

  it('the basemap is drawn from the PMTiles fixture: water colour inside its water rectangle, tiles read in 206 answers', async () => {
    ranges.length = 0;
    const png = PNG.sync.read(await renderCase(browser, baseUrl, 'basemap-pmtiles'));
    expect(ranges.length).toBeGreaterThanOrEqual(2); // the header and root directory, then tiles
    expect(new Set(ranges)).toEqual(new Set([206]));
    const page: Page = await browser.newPage({ viewport: { width: 480, height: 360 }, deviceScaleFactor: 1 });
    await page.goto(`${baseUrl}/page/basemap-pmtiles`);
    await page.waitForFunction(() => (globalThis as { rendered?: boolean }).rendered === true, undefined, { timeout: 60_000 });
    const [west, south, east, north] = FIXTURE_WATER;
    const probe = await page.evaluate(
      ([lon, lat, landLat]) => {
        const page = globalThis as unknown as { renderMap: { project(p: [number, number]): { x: number; y: number } }; basemapColours: { dark: { water: string; earth: string } } };
        return { water: page.renderMap.project([lon, lat]), land: page.renderMap.project([lon, landLat]), colours: page.basemapColours.dark };
      },
      [(west + east) / 2, (south + north) / 2, 22.6] as const,
    );
    await page.close();
    const pixel = (x: number, y: number) => {
      const at = (Math.round(y) * png.width + Math.round(x)) * 4;
      return `#${[png.data[at]!, png.data[at + 1]!, png.data[at + 2]!].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
    };
    expect(pixel(probe.water.x, probe.water.y)).toBe(probe.colours.water);
    expect(pixel(probe.land.x, probe.land.y)).toBe(probe.colours.earth);
  });
});
