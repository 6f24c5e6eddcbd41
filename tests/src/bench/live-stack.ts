/**
 * The real stack under load, shared by the e2e bench and the soak: `startStack` on ephemeral ports (embedded
 * broker with authentication on, embedded database, console), gateway credentials for a paced load
 * generator in its own process (load-publisher.ts), the devices born, and a signed-in operator page in
 * Debian's headless Chromium.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { provisionCredential } from '@streetwise/identity';
import { deviceTopic, encodeMessage, makeMessage } from '@streetwise/protocol';
import { STACK_SETTINGS, startStack, type RunningStack } from '@streetwise/stack';
import { launchChromium } from '../browser.js';
import { addUser } from '../console-auth.js';
import { testLogger } from '../ingest/fixtures.js';
import { ensureWebAppBuilt } from '../web-app.js';
import { mapReady, signInPage, until } from '../web-page.js';
import type { LoadArgs, LoadResult } from './load-publisher.js';

export interface LiveStackOptions {
  devices: number;
  /** Gateway connections of the load generator. */
  gateways: number;
  /** Script run in the page before the app (addInitScript), e.g. to watch the live feed. */
  pageInitScript?: string;
}

export interface LiveStack {
  stack: RunningStack;
  page: Page;
  devices: string[];
  /** Starts the load generator; resolves once it publishes. */
  startLoad(ratePerS: number, seconds: number, safetyEvery: number): Promise<RunningLoad>;
  close(): Promise<void>;
}

export interface RunningLoad {
  /** Resolves with the generator's counts when it is done (after `seconds`, or after stop()). */
  finished: Promise<LoadResult>;
  stop(): void;
}

const DEVICE_PREFIX = 'load';
type Publisher = ChildProcessByStdio<Writable, Readable, null>;

export async function startLiveStack(options: LiveStackOptions): Promise<LiveStack> {
  ensureWebAppBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), 'sw-live-stack-'));
  const parsed = STACK_SETTINGS.parse([], { PORT: '0', MQTT_PORT: '0', DB_PORT: '0', DATA_DIR: join(dataDir, 'db'), SIM_DEVICES: '0', MQTT_AUTH: 'on' });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed));
  const stack = await startStack(parsed.settings, testLogger());
  let browser: Browser | undefined;
  const children: Publisher[] = [];
  const close = async (): Promise<void> => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    await browser?.close();
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const gateways = await Promise.all(
      Array.from({ length: options.gateways }, async (_, k) => {
        const username = `${DEVICE_PREFIX}-gw-${k}`;
        const issued = await provisionCredential(stack.db, { id: username, kind: 'gateway', scope: [`${DEVICE_PREFIX}-*`] });
        return { username, password: issued.token };
      }),
    );
    const devices = Array.from({ length: options.devices }, (_, i) => `${DEVICE_PREFIX}-cam-${i}`);
    await bearDevices(stack, gateways[0]!, devices);
    await addUser(stack.db, 'bench', 'operator');
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    if (options.pageInitScript) await context.addInitScript(options.pageInitScript);
    const page = await context.newPage();
    await signInPage(page, stack.consoleUrl, 'bench');
    await mapReady(page);
    const startLoad = async (ratePerS: number, seconds: number, safetyEvery: number): Promise<RunningLoad> => {
      const args: LoadArgs = { url: stack.mqttUrl, prefix: 'streetwise', gateways, devices, ratePerS, seconds, safetyEvery };
      const script = fileURLToPath(new URL('./load-publisher.js', import.meta.url));
      const child = spawn(process.execPath, [script, JSON.stringify(args)], { stdio: ['pipe', 'pipe', 'inherit'] });
      children.push(child);
      const lines = createInterface({ input: child.stdout });
      const iterator = lines[Symbol.asyncIterator]();
      const first = await iterator.next();
      if (first.value !== 'ready') throw new Error(`load generator did not start (${String(first.value)})`);
      child.stdin.write('go\n');
      return { finished: finish(child, lines, iterator), stop: () => child.stdin.write('stop\n') };
    };
    return { stack, page, devices, startLoad, close };
  } catch (err) {
    await close();
    throw err;
  }
}

async function finish(child: Publisher, lines: Interface, iterator: AsyncIterator<string>): Promise<LoadResult> {
  const last = await iterator.next();
  if (last.done) throw new Error('load generator ended without its counts');
  child.stdin.end();
  lines.close();
  if (child.exitCode === null) await once(child, 'exit');
  return JSON.parse(last.value) as LoadResult;
}

/** A birth (status online, with a position) for every device, through one gateway; waits until all are registered. */
async function bearDevices(stack: RunningStack, gateway: { username: string; password: string }, devices: string[]): Promise<void> {
  const client = await mqtt.connectAsync(stack.mqttUrl, { clientId: gateway.username, username: gateway.username, password: gateway.password, protocolVersion: 4, reconnectPeriod: 0 });
  try {
    await Promise.all(
      devices.map((deviceId, i) => {
        const birth = makeMessage('status', { deviceId, state: 'online', kind: 'camera', name: deviceId, location: { lat: 22.25 + (i % 40) * 0.004, lon: 114.1 + Math.floor(i / 40) * 0.004 }, capabilities: ['detect'], models: {}, firmware: '0.1.0' });
        return client.publishAsync(deviceTopic(deviceId, 'status', 'streetwise'), encodeMessage(birth), { qos: 1, retain: true });
      }),
    );
  } finally {
    await client.endAsync();
  }
  const registered = async () => Number((await stack.db.query<{ n: string }>(`SELECT count(*) AS n FROM devices WHERE id LIKE '${DEVICE_PREFIX}-cam-%'`)).rows[0]?.n);
  await until(async () => (await registered()) === devices.length, `${devices.length} devices registered`, 120_000);
}
