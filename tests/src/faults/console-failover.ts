import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { INGEST_ACTOR, writeRuleChanges } from '@streetwise/incidents';
import { waitFor } from '@streetwise/testing';
import { launchChromium } from '../browser.js';
import { addUser } from '../console-auth.js';
import { spawnConsoleNode, type ConsoleNode } from '../console-node.js';
import { startFailoverProxy, type FailoverProxy } from '../failover-proxy.js';
import { createPlainPostgresDatabase, type PlainPostgresDatabase } from '../ingest/plain-postgres.js';
import { ensureWebAppBuilt } from '../web-app.js';
import { mapReady, signInPage, type PageGlobals } from '../web-page.js';
import { checkScale, premise, type FaultResult, type FaultScenarioOptions } from './scenario.js';

/**
 * A console node killed while browsers are connected. Two console processes on one database, joined by
 * Redis, behind a front that sends each new connection to the first node that accepts it (node A while
 * it lives). Browsers (headless Chromium) sign in and follow the live feed through node A; node A is
 * SIGKILLed while incidents keep being raised (one every 100 ms, before, during and after the gap). Each
 * page shows its feed offline, reconnects by itself (to node B, the only one left), catches up over
 * GET /incidents/changes, and ends with every incident raised on its map: none missed. Scale 1: 3 pages,
 * 5 incidents raised once every page is back; scale N: 2 + ceil(N / 5) pages (at most 5), 5 × N after.
 * Sent: incidents raised; stored: their rows; lost: incidents missing from a page's map, summed over pages;
 * duplicates: features beyond one per incident on a map, summed over pages.
 */
const LAT = 22.3;
const LON = 114.17;

export function consoleFailoverSizes(scale: number): { pages: number; raisedAfterReconnect: number } {
  checkScale(scale);
  return { pages: Math.min(5, 2 + Math.ceil(scale / 5)), raisedAfterReconnect: 5 * scale };
}

/** Opens an incident the way ingest's rules do (one transaction, NOTIFY sw_incidents). */
async function openIncident(pg: PlainPostgresDatabase): Promise<string> {
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

/** Records every state the connection indicator takes, as it takes it (a MutationObserver misses none). */
async function recordConnectionStates(page: Page): Promise<void> {
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
}

export async function consoleFailover({ scale, progress }: FaultScenarioOptions): Promise<FaultResult> {
  const startedMs = performance.now();
  const { pages: pageCount, raisedAfterReconnect } = consoleFailoverSizes(scale);
  let pg: PlainPostgresDatabase | undefined;
  const nodes: ConsoleNode[] = [];
  let proxy: FailoverProxy | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  let raising = false;
  let raiser: Promise<void> | undefined;
  try {
    ensureWebAppBuilt();
    const db = await createPlainPostgresDatabase('failover');
    pg = db;
    await db.db.query(`insert into devices (id, kind, name, district, lat, lon, state) values ('cam-fo', 'camera', 'cam-fo', 'E', $1, $2, 'online')`, [LAT, LON]);
    await addUser(db.db, 'olivia', 'operator');
    progress('starting two console nodes (joined by Redis) and headless Chromium');
    nodes.push(...(await Promise.all([spawnConsoleNode(db.url, 'redis://127.0.0.1:6379'), spawnConsoleNode(db.url, 'redis://127.0.0.1:6379')])));
    const [nodeA, nodeB] = nodes as [ConsoleNode, ConsoleNode];
    const front = await startFailoverProxy(nodes.map((n) => n.port));
    proxy = front;
    const chromium = await launchChromium();
    browser = chromium;
    const pages: Page[] = [];
    for (let i = 0; i < pageCount; i += 1) {
      const context = await chromium.newContext({ locale: 'en-GB', viewport: { width: 1024, height: 700 } });
      contexts.push(context);
      const page = await context.newPage();
      await signInPage(page, `http://127.0.0.1:${front.port}`, 'olivia');
      await mapReady(page);
      await recordConnectionStates(page);
      pages.push(page);
      progress(`page ${i + 1} of ${pageCount} signed in on node A`);
    }
    premise((front.connectionsTo.get(nodeB.port) ?? 0) === 0, 'a page went to node B while node A lived');

    const raised: string[] = [await openIncident(db)];
    await waitFor(async () => ((await Promise.all(pages.map(incidentsOnMap))).every((ids) => ids.includes(raised[0]!)) ? true : undefined), { timeoutMs: 15_000, what: 'the first incident live on every page' });

    raising = true;
    raiser = (async () => {
      while (raising) {
        const tick = new Promise((resolve) => setTimeout(resolve, 100));
        raised.push(await openIncident(db));
        await tick;
      }
    })();
    await waitFor(() => (raised.length >= 3 ? true : undefined), { timeoutMs: 10_000, what: 'incidents raised before the kill' });
    const killedAt = performance.now();
    await nodeA.kill('SIGKILL');
    const raisedAtKill = raised.length;
    progress(`node A SIGKILLed with ${pageCount} pages on it (${raisedAtKill} incidents raised so far, one every 100 ms)`);

    for (const page of pages) await page.locator('[data-testid=connection][data-state=online]').waitFor({ timeout: 30_000 });
    const backOnlineMs = performance.now() - killedAt;
    progress(`every page back online (on node B) after ${(backOnlineMs / 1000).toFixed(2)} s; raising ${raisedAfterReconnect} more`);
    // More while every page is on node B: the live feed carries them again.
    await waitFor(() => (raised.length >= raisedAtKill + raisedAfterReconnect + Math.ceil(backOnlineMs / 100) ? true : undefined), { timeoutMs: 15_000 + 200 * raisedAfterReconnect, what: 'incidents raised after the reconnect' });
    raising = false;
    await raiser;
    raiser = undefined;

    const states = await Promise.all(pages.map((page) => page.evaluate(() => (globalThis as unknown as { connectionStates: string[] }).connectionStates)));
    premise(states.every((s) => s.includes('offline')), `a page's indicator never showed the feed offline: ${JSON.stringify(states)}`);
    premise(states.every((s) => s.slice(s.indexOf('offline')).includes('online')), `a page's indicator stayed offline: ${JSON.stringify(states)}`);
    premise((front.connectionsTo.get(nodeB.port) ?? 0) >= pageCount, 'the pages did not reconnect to node B');

    const onMaps = async (): Promise<string[][]> => Promise.all(pages.map(incidentsOnMap));
    const missing = async (): Promise<string[][]> => (await onMaps()).map((ids) => raised.filter((id) => !ids.includes(id)));
    await waitFor(async () => ((await missing()).every((m) => m.length === 0) ? true : undefined), { timeoutMs: 15_000, what: 'every incident on every page' }).catch(() => undefined);
    const maps = await onMaps();
    const missedPerPage = maps.map((ids) => raised.filter((id) => !ids.includes(id)).length);
    const stored = Number((await db.db.query<{ n: string }>('select count(*) n from incidents')).rows[0]!.n);
    const fault = `console node SIGKILLed under ${pageCount} browsers: incidents raised ${raised.length} (${raisedAtKill} before the kill), ` +
      `missed per page ${missedPerPage.join('/')}, pages back online on node B after ${(backOnlineMs / 1000).toFixed(2)} s`;
    process.stderr.write(`[fault] ${fault}, rows stored ${stored}\n`);
    return {
      scenario: 'console-failover',
      sent: raised.length,
      stored,
      duplicates: maps.reduce((sum, ids) => sum + ids.length - new Set(ids).size, 0),
      lost: missedPerPage.reduce((sum, n) => sum + n, 0),
      deadLetters: 0,
      seconds: (performance.now() - startedMs) / 1000,
      fault,
      details: { pages: pageCount, backOnlineMs: Math.round(backOnlineMs), missedPerPage: missedPerPage.join('/') },
    };
  } finally {
    raising = false;
    await raiser?.catch(() => undefined);
    for (const context of contexts) await context.close();
    await browser?.close();
    await proxy?.close();
    for (const node of nodes) await node.kill('SIGKILL');
    await pg?.drop();
  }
}
