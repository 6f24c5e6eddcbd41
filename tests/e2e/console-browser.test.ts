import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { createEmbeddedDatabase, migrate, type Database } from '@streetwise/db';
import { build, listen } from '@streetwise/console';
import { launchChromium } from '../src/browser.js';
import { ensureWebAppBuilt } from '../src/web-app.js';

/** The console's pages in a real headless Chromium (Debian's), not an HTTP client. */
describe('console pages in headless Chromium', () => {
  let db: Database;
  let app: FastifyInstance;
  let url: string;
  let browser: Browser;

  beforeAll(async () => {
    db = await createEmbeddedDatabase({ dataDir: 'memory://' });
    await migrate(db);
    ensureWebAppBuilt();
    app = await build({ db });
    url = (await listen(app, 0)).url;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await db?.close();
  });

  it('/ is the web app, which asks an unknown visitor to sign in', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(url);
    await page.getByTestId('login-page').waitFor({ timeout: 20_000 });
    expect(await page.title()).toBe('Streetwise');
    expect(await page.getByLabel('Username').count()).toBe(1);
    expect(await page.getByLabel('Password').count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('/docs renders every operation of the OpenAPI document', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`${url}/docs`);
    await page.locator('.opblock').first().waitFor({ timeout: 20_000 });
    const spec = (await (await fetch(`${url}/docs/json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.values(spec.paths).reduce((n, methods) => n + Object.keys(methods).length, 0);
    expect(await page.locator('.opblock').count()).toBe(operations);
    expect(operations).toBeGreaterThan(15);
    expect(errors).toEqual([]);
    if (process.env['SCREENSHOT']) await page.screenshot({ path: process.env['SCREENSHOT'], fullPage: false });
    await page.close();
  });
});
