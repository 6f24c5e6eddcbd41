import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { INGEST_ACTOR, writeRuleChanges } from '@streetwise/incidents';
import { waitFor } from '@streetwise/testing';
import { launchChromium } from '../src/browser.js';
import { addUser } from '../src/console-auth.js';
import { spawnConsoleNode, type ConsoleNode } from '../src/console-node.js';
import { startFailoverProxy, type FailoverProxy } from '../src/failover-proxy.js';
import { createPlainPostgresDatabase, type PlainPostgresDatabase } from '../src/ingest/plain-postgres.js';
import { ensureWebAppBuilt } from '../src/web-app.js';
import { mapReady, signInPage, type PageGlobals } from '../src/web-page.js';

/**
 * A console node killed while browsers are connected. Two console processes on one database, joined by
 * Redis, behind a front that sends each new connection to the first node that accepts it (node A while
 * it lives). Browsers sign in and follow the live feed through node A; node A is SIGKILLed while
 * incidents keep being raised (one every 100 ms, before, during and after the gap). Each page shows its
 * feed offline, reconnects by itself (to node B, the only one left), catches up over
 * GET /incidents/changes, and ends with every incident raised on its map: none missed.
 */
const PAGES = 3;
const LAT = 22.3;
const LON = 114.17;

describe('a console node SIGKILLed while browsers are connected', () => {
  let pg: PlainPostgresDatabase;
  const nodes: ConsoleNode[] = [];
  let proxy: FailoverProxy | undefined;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    ensureWebAppBuilt();
    pg = await createPlainPostgresDatabase('failover');
    await pg.db.query(`insert into devices (id, kind, name, district, lat, lon, state) values ('cam-fo', 'camera', 'cam-fo', 'E', $1, $2, 'online')`, [LAT, LON]);
    await addUser(pg.db, 'olivia', 'operator');
    nodes.push(...(await Promise.all([spawnConsoleNode(pg.url, 'redis://127.0.0.1:6379'), spawnConsoleNode(pg.url, 'redis://127.0.0.1:6379')])));
    proxy = await startFailoverProxy(nodes.map((n) => n.port));
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await proxy?.close();
    for (const node of nodes) await node.kill('SIGKILL');
    await pg?.drop();
  });

  /** Opens an incident the way ingest's rules do (one transaction, NOTIFY sw_incidents). */
  async function openIncident(): Promise<string> {
    const id = randomUUID();
    const now = Date.now();
    await pg.db.transaction((tx) =>
      writeRuleChanges(tx, {
        opened: [{ id, type: 'collision', severity: 'high', deviceId: 'cam-fo', district: 'E', lat: LAT, lon: LON, firstEventId: randomUUID(), lastEventId: randomUUID(), eventCount: 1, openedAtMs: now, lastEventAtMs: now }],
        touched: [], log: [{ incidentId: id, action: 'opened', details: {} }], changes: [{ incidentId: id, action: 'opened' }],
      }, INGEST_ACTOR, true),
    );
    return id;
  }

  const incidentsOnMap = (page: Page): Promise<string[]> =>
    page.evaluate(async () => {
      const source = (globalThis as unknown as PageGlobals).streetwiseMap!.getSource('incidents') as { getData(): Promise<{ features: Array<{ id?: unknown }> }> };
      return (await source.getData()).features.map((f) => String(f.id));
    });

  it(`${PAGES} pages on node A go offline when it dies, reconnect to node B and miss no incident`, async () => {
    const [nodeA, nodeB] = nodes as [ConsoleNode, ConsoleNode];
    const front = `http://127.0.0.1:${proxy!.port}`;
    const pages: Page[] = [];
    for (let i = 0; i < PAGES; i += 1) {
      const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1024, height: 700 } });
      contexts.push(context);
      const page = await context.newPage();
      await signInPage(page, front, 'olivia');
      await mapReady(page);
      // Every state the connection indicator takes, as it takes it (a MutationObserver misses none).
      await page.evaluate(() => {
        // Tests have no DOM types: the little of them this uses.
        type Element = { getAttribute(name: string): string | null };
        const g = globalThis as unknown as {
          document: { querySelector(selector: string): Element };
          MutationObserver: new (callback: () => void) => { observe(target: Element, options: Record<string, unknown>): void };
          connectionStates: string[];
        };
        const el = g.document.querySelector('[data-testid=connection]');
        const seen: string[] = [el.getAttribute('data-state') ?? ''];
        g.connectionStates = seen;
        new g.MutationObserver(() => seen.push(el.getAttribute('data-state') ?? '')).observe(el, { attributes: true, attributeFilter: ['data-state'] });
      });
      pages.push(page);
    }
    expect(proxy!.connectionsTo.get(nodeB.port) ?? 0, 'everything went to node A while it lived').toBe(0);

    const raised: string[] = [await openIncident()];
    await waitFor(async () => ((await Promise.all(pages.map(incidentsOnMap))).every((ids) => ids.includes(raised[0]!)) ? true : undefined), { timeoutMs: 15_000, what: 'the first incident live on every page' });

    let raising = true;
    const raiser = (async () => {
      while (raising) {
        const tick = new Promise((resolve) => setTimeout(resolve, 100));
        raised.push(await openIncident());
        await tick;
      }
    })();
    await waitFor(() => (raised.length >= 3 ? true : undefined), { timeoutMs: 10_000, what: 'incidents raised before the kill' });
    const killedAt = performance.now();
    await nodeA.kill('SIGKILL');
    const raisedAtKill = raised.length;

    for (const page of pages) {
      await page.locator('[data-testid=connection][data-state=online]').waitFor({ timeout: 30_000 });
    }
    const backOnlineMs = performance.now() - killedAt;
    // A few more while every page is on node B: the live feed carries them again.
    await waitFor(() => (raised.length >= raisedAtKill + 5 + Math.ceil(backOnlineMs / 100) ? true : undefined), { timeoutMs: 15_000, what: 'incidents raised after the reconnect' });
    raising = false;
    await raiser;

    const states = await Promise.all(pages.map((page) => page.evaluate(() => (globalThis as unknown as { connectionStates: string[] }).connectionStates)));
    for (const s of states) expect(s.slice(s.indexOf('offline'))).toContain('online');
    for (const s of states) expect(s, 'the indicator showed the feed offline').toContain('offline');
    expect(proxy!.connectionsTo.get(nodeB.port) ?? 0, 'the pages reconnected to node B').toBeGreaterThanOrEqual(PAGES);

    const missing = async (): Promise<string[][]> => (await Promise.all(pages.map(incidentsOnMap))).map((ids) => raised.filter((id) => !ids.includes(id)));
    await waitFor(async () => ((await missing()).every((m) => m.length === 0) ? true : undefined), { timeoutMs: 15_000, what: 'every incident on every page' }).catch(() => undefined);
    const missed = await missing();
    const stored = Number((await pg.db.query<{ n: string }>('select count(*) n from incidents')).rows[0]!.n);
    process.stderr.write(
      `[fault] console node SIGKILLed under ${PAGES} browsers: incidents raised ${raised.length} (${raisedAtKill} before the kill), rows stored ${stored}, ` +
        `missed per page ${missed.map((m) => m.length).join('/')}, pages back online on node B after ${(backOnlineMs / 1000).toFixed(2)} s\n`,
    );
    expect(stored).toBe(raised.length);
    expect(missed).toEqual(pages.map(() => []));
  });
});
