import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunningStack } from '@streetwise/stack';
import { waitFor } from '@streetwise/testing';
import { launchChromium } from '../src/browser.js';
import { mapReady } from '../src/web-page.js';
import { signInOverHttp } from '../src/console-auth.js';
import { addUsers, connectDevice, DESK_ADMIN, openIncidentOf, queueRow, screenshot, signInBrowser, startDeskStack, type TestDevice } from '../src/desk-harness.js';

const WEBHOOK_SECRET = 'desk e2e webhook secret';

interface Delivery {
  body: string;
  signature: string | undefined;
}

/** A local HTTP receiver for the escalation webhook: it keeps every POST it gets. */
async function startReceiver(): Promise<{ server: Server; url: string; deliveries: Delivery[] }> {
  const deliveries: Delivery[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => {
      deliveries.push({ body, signature: request.headers['x-streetwise-signature'] as string | undefined });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/escalations`, deliveries };
}

/** Opens the incident from its queue row and waits for its detail (with its log) to load. */
async function openIncident(page: Page, id: string): Promise<void> {
  await queueRow(page, id).click();
  await page.locator(`[data-testid="incident-detail"][data-incident-id="${id}"] [data-testid="timeline"]`).waitFor({ timeout: 10_000 });
}

const detailStatus = (page: Page) => page.locator('[data-testid="detail-status"]');
/** Waits until the open incident's status reads exactly `text` (live updates included). */
const statusIs = (page: Page, text: string) => detailStatus(page).filter({ hasText: new RegExp(`^${text}$`) }).waitFor({ timeout: 10_000 });

/**
 * The incident desk in Debian's headless Chromium, against the whole stack (embedded database and broker,
 * ingest, the console serving the built web app): incidents raised by devices over MQTT, operators acting
 * on them in two browsers, a viewer who can only look.
 */
describe('the incident desk in headless Chromium', () => {
  let stack: RunningStack;
  let browser: Browser;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const devices: TestDevice[] = [];

  beforeAll(async () => {
    receiver = await startReceiver();
    // Critical incidents go amber after 3 s and red (and to the webhook) after 6 s, so a test can watch it.
    stack = await startDeskStack({ ACK_CRITICAL_S: '3/6', ESCALATION_WEBHOOK_URL: receiver.url, ESCALATION_WEBHOOK_SECRET: WEBHOOK_SECRET });
    await addUsers(stack, { 'op-ana': 'operator', 'op-ben': 'operator', 'vic-viewer': 'viewer' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const device of devices) await device.close();
    await browser?.close();
    await stack?.stop();
    await new Promise((resolve) => receiver?.server.close(resolve));
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
    // The page as an operator has it: the map (loaded after sign-in, in its own chunk) is up.
    await mapReady(page);
    // Blocked by the browser until a gesture: the control says so.
    await expect(page.locator('[data-testid="sound"]').getAttribute('data-status')).resolves.toBe('locked');
    await expect(page.locator('[data-testid="enable-sound"]').isVisible()).resolves.toBe(true);

    const row = page.locator('[data-testid="queue-row"][data-device-id="cam-desk-1"]');
    // The page notes when the row enters the DOM (same machine, same clock as the publisher), so the
    // measure is publish → row, without the test driver's polling in it.
    await page.evaluate(`new MutationObserver((_, observer) => {
      if (document.querySelector('[data-testid="queue-row"][data-device-id="cam-desk-1"]')) { window.rowSeenAt = Date.now(); observer.disconnect(); }
    }).observe(document.body, { subtree: true, childList: true })`);
    const publishedAt = Date.now();
    await camera.publishEvent({ type: 'collision', severity: 'critical', class: 'car', confidence: 0.91 });
    await row.waitFor({ timeout: 5_000 });
    const toScreenMs = Number(await page.evaluate('window.rowSeenAt')) - publishedAt;
    expect(toScreenMs).toBeGreaterThan(0);
    expect(toScreenMs).toBeLessThanOrEqual(1000);
    const id = await openIncidentOf(stack, 'cam-desk-1');
    expect(await row.getAttribute('data-incident-id')).toBe(id);
    expect(await row.locator('[data-testid="row-status"]').textContent()).toBe('Open');
    expect(await row.locator('[data-testid="ack-timer"]').getAttribute('data-level')).toBe('ok');
    // Screen readers hear it too.
    expect(await page.locator('[data-testid="announcer"]').textContent()).toBe('New incident, Critical: Collision.');

    // A critical incident nobody acknowledged: after "enable sound" the beeps start and repeat.
    await page.locator('[data-testid="enable-sound"]').click();
    await page.locator('[data-testid="sound"][data-status="alerting"]').waitFor({ timeout: 5_000 });
    await page.locator('[data-testid="sound"]:not([data-beeps="0"])').waitFor({ timeout: 5_000 });
    await page.locator('[data-testid="mute-15"]').click();
    expect(await page.locator('[data-testid="sound"]').getAttribute('data-status')).toBe('muted');
    await screenshot(page, 'desk-queue-en');
    expect(ana.errors).toEqual([]);
    await ana.context.close();
    console.log(`incident to screen: ${toScreenMs} ms`);
  });

  it('acknowledge, dispatch, note and resolve (as a false alarm) persist across a reload and are in the audit log with the user', async () => {
    const admin = await signInOverHttp(stack.consoleUrl, DESK_ADMIN.username, DESK_ADMIN.password);
    const created = await fetch(`${stack.consoleUrl}/api/v1/units`, { method: 'POST', headers: { ...admin, 'content-type': 'application/json' }, body: JSON.stringify({ id: 'amb-7', name: 'Ambulance 7', kind: 'ambulance' }) });
    expect(created.status).toBe(201);
    const camera = await device('cam-desk-2');
    await camera.publishEvent({ type: 'intrusion', severity: 'high', class: 'person', confidence: 0.8 });
    const id = await openIncidentOf(stack, 'cam-desk-2');

    const ana = await signInBrowser(browser, stack.consoleUrl, 'op-ana');
    const { page } = ana;
    await openIncident(page, id);
    await page.locator('[data-testid="action-acknowledge"]').click();
    await page.locator('[data-testid="action-done"]').waitFor();
    expect(await detailStatus(page).textContent()).toBe('Acknowledged');

    await page.locator('[data-testid="action-dispatch"]').click();
    await page.locator('[data-testid="unit-select"] option[value="amb-7"]').waitFor({ state: 'attached' });
    await page.locator('[data-testid="unit-select"]').selectOption('amb-7');
    await page.locator('[data-testid="form-submit"]').click();
    await statusIs(page, 'Dispatched');

    await page.locator('[data-testid="action-note"]').click();
    await page.locator('[data-testid="note-input"]').fill('Guard on site says the gate alarm tripped by itself.');
    await page.locator('[data-testid="form-submit"]').click();
    await page.locator('[data-testid="timeline"] li[data-log-action="note"] .note').waitFor();

    await page.locator('[data-testid="action-resolve"]').click();
    await page.locator('[data-testid="outcome-select"]').selectOption('false_alarm');
    await page.locator('[data-testid="form-submit"]').click();
    await detailStatus(page).filter({ hasText: /^Resolved/ }).waitFor();
    await screenshot(page, 'desk-detail-en');

    // After a reload the incident is read from the server again: everything is still there.
    await page.reload();
    await page.locator('[data-testid="desk"]').waitFor();
    await page.locator('[data-testid="filter-status"]').selectOption('resolved');
    await openIncident(page, id);
    expect(await detailStatus(page).textContent()).toBe('Resolved · False alarm');
    const timeline = await page.locator('[data-testid="timeline"] li').evaluateAll((items) => items.map((li) => `${li.getAttribute('data-log-action')}:${li.getAttribute('data-actor')}`));
    expect(timeline.filter((entry) => !entry.startsWith('viewed:'))).toEqual(['opened:ingest', 'acknowledged:op-ana', 'dispatched:op-ana', 'note:op-ana', 'resolved:op-ana']);
    expect(await page.locator('[data-testid="timeline"] li[data-log-action="note"] .note').textContent()).toBe('Guard on site says the gate alarm tripped by itself.');
    expect(await page.locator('[data-testid="seen-by"]').textContent()).toContain('op-ana');
    await screenshot(page, 'desk-resolved-en');
    // The same detail in Traditional Chinese: every desk string switches with the language.
    await page.locator('[data-testid="language"]').selectOption('zh-HK');
    await detailStatus(page).filter({ hasText: '已解決 · 誤報' }).waitFor();
    expect(await page.locator('[data-testid="timeline"] li[data-log-action="dispatched"]').textContent()).toContain('已派遣單位');
    await screenshot(page, 'desk-resolved-zh-hk');

    // The audit log: every step with the signed-in user, never a name from the request.
    const log = await stack.db.query<{ action: string; actor: string; actor_kind: string; note: string | null }>(
      `select action, actor, actor_kind, note from incident_log where incident_id = $1 and action in ('acknowledged', 'dispatched', 'note', 'resolved') order by id`, [id],
    );
    expect(log.rows).toEqual([
      { action: 'acknowledged', actor: 'op-ana', actor_kind: 'user', note: null },
      { action: 'dispatched', actor: 'op-ana', actor_kind: 'user', note: null },
      { action: 'note', actor: 'op-ana', actor_kind: 'user', note: 'Guard on site says the gate alarm tripped by itself.' },
      { action: 'resolved', actor: 'op-ana', actor_kind: 'user', note: null },
    ]);
    const stored = (await stack.db.query<{ status: string; outcome: string }>('select status, outcome from incidents where id = $1', [id])).rows[0];
    expect(stored).toEqual({ status: 'resolved', outcome: 'false_alarm' });
    // Resolving freed the unit.
    const unit = (await stack.db.query<{ status: string; incident_id: string | null }>(`select status, incident_id from units where id = 'amb-7'`)).rows[0];
    expect(unit).toEqual({ status: 'available', incident_id: null });
    expect(ana.errors).toEqual([]);
    await ana.context.close();
  });

  it('refuses a stale escalate from a second operator and shows the conflict with the current state; keys move, open, acknowledge and close', async () => {
    const camera = await device('cam-desk-3');
    await camera.publishEvent({ type: 'wrong_way', severity: 'high', class: 'car' });
    const id = await openIncidentOf(stack, 'cam-desk-3');
    const ana = await signInBrowser(browser, stack.consoleUrl, 'op-ana');
    const ben = await signInBrowser(browser, stack.consoleUrl, 'op-ben');

    // Ben opens the incident and starts an escalation: the form keeps the version he saw.
    await openIncident(ben.page, id);
    await ben.page.locator('[data-testid="action-escalate"]').click();
    await ben.page.locator('[data-testid="form-escalate"]').waitFor();

    // Ana, by keyboard: j moves to the row, Enter opens it, a acknowledges it.
    await queueRow(ana.page, id).waitFor();
    // Focus on the page, not on the map (which keeps its own arrow keys).
    await ana.page.locator('#desk-queue-title').click();
    const ids = await ana.page.locator('[data-testid="queue-row"]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-incident-id')));
    for (let i = 0; i <= ids.indexOf(id); i++) await ana.page.keyboard.press('j');
    expect(await ana.page.locator(':focus').getAttribute('data-incident-id')).toBe(id);
    await ana.page.keyboard.press('Enter');
    await ana.page.locator(`[data-testid="incident-detail"][data-incident-id="${id}"] [data-testid="timeline"]`).waitFor();
    // Ben's view reaches Ana's "seen by" live.
    await ana.page.locator('[data-testid="seen-by"]').filter({ hasText: 'op-ben' }).waitFor();
    await ana.page.keyboard.press('a');
    await statusIs(ana.page, 'Acknowledged');

    // Ben's screen follows live, but his form still carries the version he saw: the server refuses it.
    await statusIs(ben.page, 'Acknowledged');
    await ben.page.locator('[data-testid="form-submit"]').click();
    const conflict = ben.page.locator('[data-testid="conflict"]');
    await conflict.waitFor();
    expect(await conflict.textContent()).toContain('Someone else changed this incident first');
    expect(await ben.page.locator('[data-testid="conflict-current"]').textContent()).toBe('It is now: Acknowledged, High.');
    await screenshot(ben.page, 'desk-conflict-en');
    const stored = (await stack.db.query<{ severity: string; status: string }>('select severity, status from incidents where id = $1', [id])).rows[0];
    expect(stored).toEqual({ severity: 'high', status: 'acknowledged' });
    expect((await stack.db.query(`select 1 from incident_log where incident_id = $1 and action = 'escalated' and actor = 'op-ben'`, [id])).rowCount).toBe(0);

    // Escape closes the detail and leaves the keyboard on its row.
    await ana.page.keyboard.press('Escape');
    await ana.page.locator('[data-testid="incident-detail"]').waitFor({ state: 'detached' });
    expect(await ana.page.locator(':focus').getAttribute('data-incident-id')).toBe(id);
    expect([...ana.errors, ...ben.errors]).toEqual([]);
    await ana.context.close();
    await ben.context.close();
  });

  it('lets a viewer look but not act', async () => {
    const camera = await device('cam-desk-4');
    await camera.publishEvent({ type: 'stopped_vehicle', severity: 'medium', class: 'truck' });
    const id = await openIncidentOf(stack, 'cam-desk-4');
    const vic = await signInBrowser(browser, stack.consoleUrl, 'vic-viewer', undefined, 'zh-HK');
    const { page } = vic;
    await openIncident(page, id);
    expect(await page.locator('[data-testid="read-only"]').isVisible()).toBe(true);
    expect(await page.locator('[data-testid="actions"]').count()).toBe(0);
    expect(await page.locator('[data-testid="sound"]').count()).toBe(0);
    // The key that acknowledges does nothing for a viewer…
    await page.keyboard.press('a');
    // …and the API refuses the viewer's session too (the UI is not the guard).
    const status = await page.evaluate(async (incidentId) => {
      const session = (await (await fetch('/api/v1/session')).json()) as { csrfToken?: string };
      const res = await fetch(`/api/v1/incidents/${incidentId}/acknowledge`, { method: 'POST', headers: { 'content-type': 'application/json', ...(session.csrfToken ? { 'x-csrf-token': session.csrfToken } : {}) }, body: JSON.stringify({ version: 1 }) });
      return res.status;
    }, id);
    expect(status).toBe(403);
    expect((await stack.db.query<{ status: string }>('select status from incidents where id = $1', [id])).rows[0]?.status).toBe('open');
    // The viewer's visit is still recorded ("seen by" lists everyone who opened it).
    await waitFor(async () => (await stack.db.query(`select 1 from incident_log where incident_id = $1 and action = 'viewed' and actor = 'vic-viewer'`, [id])).rowCount === 1, { timeoutMs: 5_000, what: 'the viewer\'s view logged' });
    await screenshot(page, 'desk-viewer-zh-hk');
    expect(vic.errors).toEqual([]);
    await vic.context.close();
  });

  it('goes amber then red while a critical incident waits, and sends it to the escalation webhook, signed', async () => {
    const camera = await device('cam-desk-5');
    const ana = await signInBrowser(browser, stack.consoleUrl, 'op-ana');
    const { page } = ana;
    await camera.publishEvent({ type: 'collision', severity: 'critical', class: 'car' });
    const id = await openIncidentOf(stack, 'cam-desk-5');
    const timer = queueRow(page, id).locator('[data-testid="ack-timer"]');
    await queueRow(page, id).locator('[data-testid="ack-timer"][data-level="amber"]').waitFor({ timeout: 10_000 });
    await queueRow(page, id).locator('[data-testid="ack-timer"][data-level="red"]').waitFor({ timeout: 10_000 });
    expect(await timer.textContent()).toContain('overdue');
    await openIncident(page, id);

    const delivery = await waitFor(() => receiver.deliveries.find((d) => (JSON.parse(d.body) as { incident: { id: string } }).incident.id === id), { timeoutMs: 30_000, what: 'the webhook POST for the incident' });
    expect(delivery.signature).toBe(`sha256=${createHmac('sha256', WEBHOOK_SECRET).update(delivery.body).digest('hex')}`);
    expect(JSON.parse(delivery.body)).toMatchObject({ reason: 'critical_unacknowledged', incident: { id, severity: 'critical', status: 'open', deviceId: 'cam-desk-5' } });
    // The desk's timeline shows that someone outside the console was told.
    await page.locator('[data-testid="timeline"] li[data-log-action="notified"]').waitFor({ timeout: 10_000 });
    await screenshot(page, 'desk-red-en');
    await page.locator('[data-testid="theme"]').selectOption('dark');
    await screenshot(page, 'desk-red-en-dark');
    expect(ana.errors).toEqual([]);
    await ana.context.close();
  });
});
