/**
 * `npm run screenshots`: the README's pictures, made from the simulated city. The whole stack runs in this
 * process on ephemeral ports (embedded broker and database in a temp dir, ingest, the console serving the
 * built web app) with the simulated fleet at the demo incident rate; two past weeks of telemetry are loaded so
 * the dashboards have a week to show and a week to compare it with; once a few incidents are open, one is acknowledged and dispatched through the
 * API (so the desk shows a timeline); then headless Chromium at 1400×900 takes the operations view in
 * English and Traditional Chinese, the planners' dashboards and the admins' fleet view into docs/images/
 * as palette PNGs.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import type { Role } from '@streetwise/console';
import { STACK_SETTINGS, startStack, type RunningStack } from '@streetwise/stack';
import { waitFor } from '@streetwise/testing';
import { launchChromium } from '../browser.js';
import { addUser, signInOverHttp, type SessionHeaders } from '../console-auth.js';
import { testLogger } from '../ingest/fixtures.js';
import { REPO_ROOT } from '../spawn-stack.js';
import { ensureWebAppBuilt } from '../web-app.js';
import { mapReady } from '../web-page.js';
import { loadPastTelemetry } from './past-telemetry.js';

const HELP = `npm run screenshots [-- --out DIR] [--incidents N]

Runs the whole stack in-process (embedded broker and database in a temp dir, 50 simulated devices at the
demo incident rate), loads the past two weeks of telemetry, and takes the README's pictures in headless Chromium
at 1400×900: the operations view (map and incident desk) in English and 繁體中文, the planners' dashboards
and the admins' fleet view.

  --out DIR        where the PNGs go (default: docs/images)
  --incidents N    open incidents to wait for before taking pictures (default: 4)
`;

const VIEWPORT = { width: 1400, height: 900 };
const PASSWORD = 'screenshots passphrase';
// The admin is the stack's first user (ADMIN_USER / ADMIN_PASSWORD), so no one-time password is printed.
const ADMIN = 'ada-admin';
const USERS: Record<string, Role> = { 'oscar-operator': 'operator', 'pat-planner': 'planner' };

function parseArgs(argv: string[]): { out: string; incidents: number } | 'help' {
  let out = join(REPO_ROOT, 'docs', 'images');
  let incidents = 4;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return 'help';
    else if (arg === '--out') out = argv[++i] ?? out;
    else if (arg === '--incidents') incidents = Number(argv[++i]);
    else throw new Error(`unknown argument ${arg}\n\n${HELP}`);
  }
  if (!Number.isInteger(incidents) || incidents < 1) throw new Error('--incidents takes a whole number ≥ 1');
  return { out, incidents };
}

const log = (line: string) => process.stderr.write(`screenshots: ${line}\n`);

async function api<T>(stack: RunningStack, session: SessionHeaders, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${stack.consoleUrl}/api/v1${path}`, { method, headers: { ...session, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

const openIncidents = async (stack: RunningStack) =>
  (await stack.db.query<{ id: string }>(`select id from incidents where status <> 'resolved' order by opened_at`)).rows.map((r) => r.id);

/** Waits for `wanted` open incidents; acknowledges and dispatches the first; returns its id. */
async function prepareIncidents(stack: RunningStack, wanted: number): Promise<string> {
  const open = await waitFor(async () => ((await openIncidents(stack)).length >= wanted ? openIncidents(stack) : undefined), { timeoutMs: 300_000, what: `${wanted} open incidents` });
  const admin = await signInOverHttp(stack.consoleUrl, ADMIN, PASSWORD);
  await api(stack, admin, 'POST', '/units', { id: 'amb-7', name: 'Ambulance 7', kind: 'ambulance' });
  const operator = await signInOverHttp(stack.consoleUrl, 'oscar-operator', PASSWORD);
  const id = open[0]!;
  const seen = await api<{ version: number }>(stack, operator, 'GET', `/incidents/${id}`);
  const acked = await api<{ version: number }>(stack, operator, 'POST', `/incidents/${id}/acknowledge`, { version: seen.version, note: 'On CCTV: two cars, lane 2 blocked.' });
  await api(stack, operator, 'POST', `/incidents/${id}/dispatch`, { version: acked.version, unitId: 'amb-7' });
  return id;
}

async function signedIn(browser: Browser, stack: RunningStack, username: string, locale: 'en-GB' | 'zh-HK'): Promise<Page> {
  const page = await (await browser.newContext({ viewport: VIEWPORT, locale })).newPage();
  await page.goto(stack.consoleUrl);
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(PASSWORD);
  await page.locator('[data-testid="login-page"] button[type="submit"]').click();
  await page.getByTestId('shell').waitFor({ timeout: 20_000 });
  return page;
}

/** A palette PNG: a quarter of the size of the full-colour one, and nothing the UI draws needs more colours. */
async function save(page: Page, out: string, name: string): Promise<void> {
  const png = await sharp(await page.screenshot()).png({ palette: true, quality: 90, effort: 10 }).toBuffer();
  await sharp(png).toFile(join(out, `${name}.png`));
  log(`${name}.png ${(png.length / 1024).toFixed(0)} kB`);
}

async function operations(browser: Browser, stack: RunningStack, out: string, incidentId: string, locale: 'en-GB' | 'zh-HK', name: string): Promise<void> {
  const page = await signedIn(browser, stack, 'oscar-operator', locale);
  await mapReady(page);
  await page.locator(`[data-testid="queue-row"][data-incident-id="${incidentId}"]`).click();
  await page.locator(`[data-testid="incident-detail"][data-incident-id="${incidentId}"] [data-testid="timeline"] li[data-log-action="dispatched"]`).waitFor({ timeout: 15_000 });
  // Two frames: the opened detail is painted. A script string: this package has no DOM types.
  await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
  await save(page, out, name);
  await page.context().close();
}

async function planning(browser: Browser, stack: RunningStack, out: string): Promise<void> {
  const page = await signedIn(browser, stack, 'pat-planner', 'en-GB');
  await page.getByTestId('view-planning').click();
  await page.getByTestId('planning').waitFor();
  // A week: the hour-of-week heat map fills, and the week before is the previous period.
  await page.getByTestId('range-7d').check();
  // Each chart has redrawn the week once its first bucket is days back (they drew 24 h first), and the heat
  // map has every hour of the week.
  const weekDrawn = async (testId: string) => {
    const drawn = JSON.parse((await page.getByTestId(testId).getAttribute('data-drawn')) ?? '{"x":[]}') as { x: string[] };
    return drawn.x[0] !== undefined && Date.parse(drawn.x[0]) < Date.now() - 5 * 86_400_000;
  };
  await waitFor(
    async () => {
      for (const chart of ['volume', 'speed', 'coverage', 'air', 'noise']) if (!(await weekDrawn(chart))) return false;
      return (JSON.parse((await page.getByTestId('heatmap').getAttribute('data-cells')) ?? '[]') as unknown[]).length >= 7 * 24;
    },
    { timeoutMs: 90_000, what: 'the dashboards drawn over the last 7 days' },
  );
  await page.waitForLoadState('networkidle');
  await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
  await save(page, out, 'planning-en');
  await page.context().close();
}

async function fleet(browser: Browser, stack: RunningStack, out: string): Promise<void> {
  const page = await signedIn(browser, stack, ADMIN, 'en-GB');
  await page.getByTestId('view-fleet').click();
  await page.getByTestId('fleet-view').waitFor();
  await page.locator('[data-testid^=fleet-row-]').first().waitFor({ timeout: 15_000 });
  // Two devices picked, as an admin about to push a config change has them.
  for (const box of (await page.locator('[data-testid^=select-]').all()).slice(0, 2)) await box.check();
  await page.waitForLoadState('networkidle');
  await save(page, out, 'fleet-en');
  await page.context().close();
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args === 'help') {
    process.stdout.write(HELP);
    return;
  }
  mkdirSync(args.out, { recursive: true });
  ensureWebAppBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), 'sw-screenshots-'));
  const parsed = STACK_SETTINGS.parse([], { PORT: '0', MQTT_PORT: '0', DB_PORT: '0', DATA_DIR: join(dataDir, 'db'), SIM_DEVICES: '50', ADMIN_USER: ADMIN, ADMIN_PASSWORD: PASSWORD });
  if (!parsed.ok) throw new Error(`stack settings refused: ${JSON.stringify(parsed)}`);
  const stack = await startStack(parsed.settings, testLogger());
  let browser: Browser | undefined;
  try {
    for (const [username, role] of Object.entries(USERS)) await addUser(stack.db, username, role, PASSWORD);
    await waitFor(async () => Number((await stack.db.query<{ n: string }>('select count(*) n from devices')).rows[0]?.n) >= 50, { timeoutMs: 120_000, what: '50 simulated devices registered' });
    log('loading the past two weeks of telemetry (a week to show, and the week before to compare)');
    log(`${await loadPastTelemetry(stack.db, Date.now(), 14)} rows loaded, aggregates refreshed`);
    log(`waiting for ${args.incidents} open incidents`);
    const incidentId = await prepareIncidents(stack, args.incidents);
    browser = await launchChromium();
    await operations(browser, stack, args.out, incidentId, 'en-GB', 'operations-en');
    await operations(browser, stack, args.out, incidentId, 'zh-HK', 'operations-zh-hk');
    await planning(browser, stack, args.out);
    await fleet(browser, stack, args.out);
  } finally {
    await browser?.close();
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
