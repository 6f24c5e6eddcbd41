/**
 * Render tests: each folder of tests/render/ with a scenario.json (style + data + viewport) is drawn in
 * headless Chromium at a fixed size and compared with its expected.png by pixelmatch. actual.png and
 * diff.png go to tests/render/__actual__/<case>/ (git-ignored); `UPDATE=1` writes expected.png instead.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import type { Browser } from 'playwright-core';
import { renderPageHtml, serve } from './render-page.js';

export const RENDER_DIR = fileURLToPath(new URL('../../render/', import.meta.url));
export const ACTUAL_DIR = join(RENDER_DIR, '__actual__');

export interface Scenario {
  description: string;
  theme?: 'dark' | 'light';
  basemap?: string;
  layers?: string[];
  /** source id → a GeoJSON file of the case folder. */
  data?: Record<string, string>;
  viewport: { width: number; height: number; center: [number, number]; zoom: number };
  /** Largest share of pixels allowed to differ (after pixelmatch's per-pixel threshold). Default 0.0005: one 7-px dot of another colour (about 150 of 120 000 pixels) fails. */
  maxDiffRatio?: number;
}

/** pixelmatch's per-pixel colour distance (0–1; 0.05 lets a brightness change below about 13/255 pass): anti-aliasing noise passes, a changed colour does not. */
export const PIXEL_THRESHOLD = 0.05;
export const DEFAULT_MAX_DIFF_RATIO = 0.0005;

export const renderCases = (): string[] =>
  readdirSync(RENDER_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(RENDER_DIR, entry.name, 'scenario.json')))
    .map((entry) => entry.name)
    .sort();

export const scenarioOf = (name: string): Scenario => JSON.parse(readFileSync(join(RENDER_DIR, name, 'scenario.json'), 'utf8')) as Scenario;

/** The page's files over HTTP on an ephemeral port, Range requests answered 206 (the pmtiles reader needs them). */
export async function startRenderServer(): Promise<{ url: string; server: Server; ranges: number[] }> {
  const ranges: number[] = [];
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    if (path.startsWith('/page/')) {
      const { viewport } = scenarioOf(path.split('/')[2] ?? '');
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(renderPageHtml(viewport.width, viewport.height));
      return;
    }
    const found = serve(path, RENDER_DIR);
    if (!found) {
      response.writeHead(404).end();
      return;
    }
    const body = typeof found.body === 'string' ? Buffer.from(found.body) : found.body;
    const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers.range ?? '');
    if (range) {
      const start = Number(range[1]);
      const end = Math.min(range[2] ? Number(range[2]) : body.length - 1, body.length - 1);
      ranges.push(206);
      response.writeHead(206, { 'content-type': found.contentType, 'content-range': `bytes ${start}-${end}/${body.length}`, 'content-length': end - start + 1, 'accept-ranges': 'bytes' }).end(body.subarray(start, end + 1));
      return;
    }
    response.writeHead(200, { 'content-type': found.contentType, 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, ranges };
}

/** Draws one case and returns its PNG (the map canvas only). */
export async function renderCase(browser: Browser, baseUrl: string, name: string): Promise<Buffer> {
  const { viewport } = scenarioOf(name);
  const page = await browser.newPage({ viewport: { width: viewport.width, height: viewport.height }, deviceScaleFactor: 1 });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  try {
    await page.goto(`${baseUrl}/page/${encodeURIComponent(name)}`);
    type Flags = { rendered?: boolean; renderError?: string | null };
    await page
      .waitForFunction(() => (globalThis as Flags).rendered === true || Boolean((globalThis as Flags).renderError), undefined, { timeout: 60_000 })
      .catch(() => undefined);
    const state = await page.evaluate(() => ({ rendered: (globalThis as Flags).rendered === true, error: (globalThis as Flags).renderError ?? null }));
    if (errors.length > 0 || state.error || !state.rendered) throw new Error(`${name}: ${[...errors, state.error ?? (state.rendered ? '' : 'the map never became idle')].filter(Boolean).join('; ')}`);
    return await page.locator('#map canvas').screenshot({ animations: 'disabled' });
  } finally {
    await page.close();
  }
}

export interface Comparison {
  name: string;
  differentPixels: number;
  ratio: number;
  maxRatio: number;
  updated: boolean;
}

/** Compares a drawing with expected.png (or writes it with UPDATE=1); actual and diff go to __actual__/. */
export function compareWithExpected(name: string, actualPng: Buffer): Comparison {
  const scenario = scenarioOf(name);
  const maxRatio = scenario.maxDiffRatio ?? DEFAULT_MAX_DIFF_RATIO;
  const expectedFile = join(RENDER_DIR, name, 'expected.png');
  const outDir = join(ACTUAL_DIR, name);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'actual.png'), actualPng);
  if (process.env['UPDATE'] === '1' || !existsSync(expectedFile)) {
    if (process.env['UPDATE'] !== '1') throw new Error(`${name}: no expected.png; draw it on purpose with UPDATE=1 and look at it before committing`);
    writeFileSync(expectedFile, actualPng);
    return { name, differentPixels: 0, ratio: 0, maxRatio, updated: true };
  }
  const actual = PNG.sync.read(actualPng);
  const expected = PNG.sync.read(readFileSync(expectedFile));
  if (actual.width !== expected.width || actual.height !== expected.height) {
    return { name, differentPixels: actual.width * actual.height, ratio: 1, maxRatio, updated: false };
  }
  const diff = new PNG({ width: actual.width, height: actual.height });
  const differentPixels = pixelmatch(actual.data, expected.data, diff.data, actual.width, actual.height, { threshold: PIXEL_THRESHOLD });
  writeFileSync(join(outDir, 'diff.png'), PNG.sync.write(diff));
  return { name, differentPixels, ratio: differentPixels / (actual.width * actual.height), maxRatio, updated: false };
}
