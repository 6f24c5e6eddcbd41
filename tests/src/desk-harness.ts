/**
 * The incident desk's browser tests stand on this: the whole stack as `npm start` composes it (embedded
 * database, embedded broker with device logins, ingest, the console serving the built web app) on
 * ephemeral ports, real devices that log in and publish over MQTT, and browser sessions signed in through
 * the sign-in page. Screenshots go to tests/screenshots/ (git-ignored).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { provisionCredential } from '@streetwise/identity';
import { deviceTopic, encodeMessage, type EventMessage } from '@streetwise/protocol';
import { startStack, STACK_SETTINGS, type RunningStack } from '@streetwise/stack';
import { waitFor } from '@streetwise/testing';
import { addUser, TEST_PASSWORD } from './console-auth.js';
import { birth, event } from './ingest/messages.js';
import { count, testLogger } from './ingest/fixtures.js';
import { REPO_ROOT } from './spawn-stack.js';
import type { Role } from '@streetwise/console';

export const SCREENSHOTS_DIR = join(REPO_ROOT, 'tests', 'screenshots');
/** The stack's first admin (ADMIN_USER / ADMIN_PASSWORD). */
export const DESK_ADMIN = { username: 'desk-admin', password: 'desk test admin passphrase' };

/** Starts the stack with no simulated fleet (the tests' devices are the only ones), plus extra settings. */
export async function startDeskStack(env: Record<string, string> = {}): Promise<RunningStack> {
  const parsed = STACK_SETTINGS.parse([], { PORT: '0', MQTT_PORT: '0', DB_PORT: '0', DATA_DIR: 'memory://', SIM_DEVICES: '0', ADMIN_USER: DESK_ADMIN.username, ADMIN_PASSWORD: DESK_ADMIN.password, ...env });
  if (!parsed.ok) throw new Error(`stack settings refused: ${JSON.stringify(parsed)}`);
  return startStack(parsed.settings, testLogger());
}

export async function addUsers(stack: RunningStack, users: Record<string, Role>): Promise<void> {
  for (const [username, role] of Object.entries(users)) await addUser(stack.db, username, role);
}

/** A camera that logs in with its own credential (as a provisioned device does) and has said hello. */
export interface TestDevice {
  id: string;
  client: MqttClient;
  /** Publishes one event (QoS 1, acknowledged after ingest committed it); returns the message. */
  publishEvent(over: Partial<EventMessage>): Promise<EventMessage>;
  close(): Promise<void>;
}

export async function connectDevice(stack: RunningStack, id: string): Promise<TestDevice> {
  const issued = await provisionCredential(stack.db, { id });
  const client = await mqtt.connectAsync(stack.mqttUrl, { clientId: id, username: id, password: issued.token, protocolVersion: 4, reconnectPeriod: 0, clean: true });
  await client.publishAsync(deviceTopic(id, 'status', 'streetwise'), encodeMessage(birth(id)), { qos: 1, retain: true });
  await waitFor(async () => (await count(stack.db, 'select count(*) n from devices where id = $1', [id])) === 1, { timeoutMs: 30_000, what: `device ${id} registered` });
  return {
    id,
    client,
    async publishEvent(over) {
      const message = event(id, over);
      await client.publishAsync(deviceTopic(id, 'event', 'streetwise'), encodeMessage(message), { qos: 1 });
      return message;
    },
    close: () => client.endAsync(true),
  };
}

export interface SignedIn {
  context: BrowserContext;
  page: Page;
  /** Uncaught errors in the page: a test expects none. */
  errors: string[];
}

/** A fresh browser context (its own cookies) signed in through the sign-in page; the desk is on screen. */
export async function signInBrowser(browser: Browser, url: string, username: string, password = TEST_PASSWORD, locale: 'en-GB' | 'zh-HK' = 'en-GB'): Promise<SignedIn> {
  // The browser's language decides the UI's on a first visit (zh-HK gets Traditional Chinese).
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('[data-testid="login-page"] button[type="submit"]').click();
  await page.locator('[data-testid="desk"]').waitFor({ timeout: 20_000 });
  return { context, page, errors };
}

/** The queue row of the incident of this device, once it is there. */
export const queueRow = (page: Page, incidentId: string) => page.locator(`[data-testid="queue-row"][data-incident-id="${incidentId}"]`);

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS_DIR, `${name}.png`) });
}

/** The id of the device's open incident, once ingest has opened it. */
export async function openIncidentOf(stack: RunningStack, deviceId: string): Promise<string> {
  return waitFor(async () => (await stack.db.query<{ id: string }>(`select id from incidents where device_id = $1 and status <> 'resolved' order by opened_at desc limit 1`, [deviceId])).rows[0]?.id, {
    timeoutMs: 10_000,
    what: `an open incident of ${deviceId}`,
  });
}
