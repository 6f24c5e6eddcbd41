/**
 * `npm run bench -- console`: the operators' web app in Debian's headless Chromium.
 *
 * - frame_ms_empty / frame_ms_5k_markers: the renderer main thread's busy time per rendered frame (median of
 *   one-second windows over 20 s of a Chromium trace), on the live map panning slowly, first with no device,
 *   then with 5,000 devices each changing colour once a second (one `devices:diff` a second, built by the
 *   console's own diffBetween: the first one carries every feature, the next ones the columns of codes).
 *   Same browser, same page. Goal: 5k ≤ 1.5 × empty.
 * - incident_to_screen_ms_p50 / _p99: a critical event published over MQTT by a device (the real stack:
 *   embedded broker, ingest, database, console) until its incident is on the page's map. Goal: p99 ≤ 1 s.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import type { Page } from 'playwright-core';
import { createEmbeddedDatabase, migrate } from '@streetwise/db';
import { build, diffBetween, listen, type DeviceFeature } from '@streetwise/console';
import { deviceTopic, encodeMessage, makeMessage } from '@streetwise/protocol';
import { STACK_SETTINGS, startStack } from '@streetwise/stack';
import { launchChromium } from '../browser.js';
import { addUser, TEST_SCRYPT_COST } from '../console-auth.js';
import { testLogger } from '../ingest/fixtures.js';
import { ensureWebAppBuilt } from '../web-app.js';
import { deviceInSource, mapReady, signInPage, until } from '../web-page.js';
import type { SuiteGoals } from './goals.js';
import type { BenchOptions, SuiteResult } from './main.js';
import { frameCost, traceFor, type FrameCost } from './console-trace.js';

const TRACE_MS = 20_000;

/** BENCH_CONSOLE_TRACE_DIR=DIR keeps both traces (open them in Chrome's Performance panel or Perfetto). */
function keep<T>(name: string, events: T): T {
  const dir = process.env['BENCH_CONSOLE_TRACE_DIR'];
  if (dir) writeFileSync(join(dir, `console-${name}.trace.json`), JSON.stringify(events));
  return events;
}
const DEVICES = 5_000;
const INCIDENTS = 20;
const STATES = ['online', 'degraded', 'offline'] as const;

/** A repeatable spread of devices over Hong Kong's built-up area. */
function devicePositions(n: number): Array<[number, number]> {
  let seed = 42;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  return Array.from({ length: n }, () => [113.95 + random() * 0.33, 22.22 + random() * 0.24]);
}

/** Devices stay where they are (a camera is moved only with a new birth message); state and severity change. */
function feature(i: number, [lon, lat]: [number, number], tick: number): DeviceFeature {
  const id = `bench-${i}`;
  return {
    type: 'Feature', id, geometry: { type: 'Point', coordinates: [lon, lat] },
    properties: { id, name: id, kind: 'camera', state: STATES[(i + tick) % 3]!, stateReason: null, district: null, keySite: false, severity: (i + tick) % 97 === 0 ? 'high' : null },
  };
}

/**
 * Keeps the map drawing at a steady rate in both phases: a slow circular pan, one step every 100 ms (not every
 * animation frame: on a loaded machine that alone would saturate the main thread, and busy time per frame
 * would then only measure the frame rate).
 */
async function startPanning(page: Page): Promise<void> {
  // A script string: it runs in the page, and this package has no DOM types.
  await page.evaluate(`(() => {
    const map = window.streetwiseMap;
    setInterval(() => {
      const now = performance.now();
      map.jumpTo({ center: [114.15 + 0.02 * Math.cos(now / 4000), 22.35 + 0.02 * Math.sin(now / 4000)] });
    }, 100);
  })()`);
}

async function measureFrames(options: BenchOptions): Promise<{ empty: FrameCost; loaded: FrameCost }> {
  const db = await createEmbeddedDatabase({ dataDir: 'memory://' });
  await migrate(db);
  await addUser(db, 'bench', 'operator');
  const app = await build({ db, accounts: { scryptCost: TEST_SCRYPT_COST }, analytics: false });
  const { url } = await listen(app, 0);
  const browser = await launchChromium();
  let timer: NodeJS.Timeout | undefined;
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await signInPage(page, url, 'bench');
    await mapReady(page);
    await startPanning(page);
    options.progress(`tracing ${TRACE_MS / 1000} s with no device`);
    const empty = frameCost(keep('empty', await traceFor(page, TRACE_MS)));
    const positions = devicePositions(DEVICES);
    let tick = 0;
    let sent = new Map<string, DeviceFeature>();
    const send = () => {
      const features = positions.map((p, i) => feature(i, p, tick));
      app.io.emit('devices:diff', diffBetween(sent, features));
      sent = new Map(features.map((f) => [f.id, f]));
    };
    send();
    await until(async () => (await deviceInSource(page, `bench-${DEVICES - 1}`)) !== undefined, `${DEVICES} devices on the map`, 60_000);
    timer = setInterval(() => {
      tick++;
      send();
    }, 1000);
    options.progress(`tracing ${TRACE_MS / 1000} s with ${DEVICES} devices changing once a second`);
    const loaded = frameCost(keep('5k', await traceFor(page, TRACE_MS)));
    return { empty, loaded };
  } finally {
    if (timer) clearInterval(timer);
    await browser.close();
    await app.close();
    await db.close();
  }
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

async function measureIncidentToScreen(options: BenchOptions): Promise<number[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sw-bench-console-'));
  const parsed = STACK_SETTINGS.parse([], { PORT: '0', MQTT_PORT: '0', DB_PORT: '0', DATA_DIR: join(dataDir, 'db'), SIM_DEVICES: '0', MQTT_AUTH: 'off' });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed));
  const stack = await startStack(parsed.settings, testLogger());
  const browser = await launchChromium();
  const devices = Array.from({ length: INCIDENTS }, (_, i) => ({ id: `bench-cam-${i}`, lat: 22.28 + i * 0.004, lon: 114.15 + i * 0.003 }));
  // A device speaks for itself: its MQTT client id is its device id.
  const clients = await Promise.all(devices.map((d) => mqtt.connectAsync(stack.mqttUrl, { clientId: d.id, protocolVersion: 4, reconnectPeriod: 0 })));
  try {
    await addUser(stack.db, 'bench', 'operator');
    for (const [i, d] of devices.entries()) {
      const birth = makeMessage('status', { deviceId: d.id, state: 'online', kind: 'camera', name: d.id, location: { lat: d.lat, lon: d.lon }, capabilities: ['detect'], models: {}, firmware: '0.1.0' });
      await clients[i]!.publishAsync(deviceTopic(d.id, 'status', 'streetwise'), encodeMessage(birth), { qos: 1, retain: true });
    }
    await until(async () => Number((await stack.db.query<{ n: string }>('SELECT count(*) AS n FROM devices')).rows[0]?.n) === INCIDENTS, `${INCIDENTS} devices registered`, 60_000);
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await signInPage(page, stack.consoleUrl, 'bench');
    await mapReady(page);
    // The page notes when each pulsing marker (a critical incident, unacknowledged) is first painted.
    await page.evaluate(`(() => {
      const seen = (window.incidentSeenAt = []);
      new MutationObserver((records) => {
        for (const record of records) for (const node of record.addedNodes) {
          if (node.classList && node.classList.contains('pulse-marker')) requestAnimationFrame(() => seen.push(Date.now()));
        }
      }).observe(document.body, { childList: true, subtree: true });
    })()`);
    const latencies: number[] = [];
    for (const [i, d] of devices.entries()) {
      const event = makeMessage('event', { deviceId: d.id, type: 'collision', severity: 'critical', class: 'car', confidence: 0.9, location: { lat: d.lat, lon: d.lon } });
      const sentAt = Date.now();
      await clients[i]!.publishAsync(deviceTopic(d.id, 'event', 'streetwise'), encodeMessage(event), { qos: 1 });
      const seenAt = await page.waitForFunction((n) => (globalThis as unknown as { incidentSeenAt: number[] }).incidentSeenAt[n], i, { timeout: 30_000 });
      latencies.push(Number(await seenAt.jsonValue()) - sentAt);
    }
    options.progress(`incident to screen: ${latencies.map((l) => l.toFixed(0)).join(', ')} ms`);
    return latencies;
  } finally {
    await Promise.all(clients.map((c) => c.endAsync()));
    await browser.close();
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function run(options: BenchOptions): Promise<SuiteResult> {
  ensureWebAppBuilt();
  const frames = await measureFrames(options);
  options.progress(`frames traced: ${frames.empty.frames} empty, ${frames.loaded.frames} with ${DEVICES} devices`);
  const latencies = await measureIncidentToScreen(options);
  return {
    suite: 'console',
    figures: [
      { name: 'frame_ms_empty', value: frames.empty.busyMsPerFrame, unit: 'ms main-thread CPU per frame (median, 20 s)' },
      { name: 'frame_ms_5k_markers', value: frames.loaded.busyMsPerFrame, unit: `ms main-thread CPU per frame (median, 20 s, ${DEVICES} devices changing 1/s)` },
      { name: 'frame_ratio_5k_vs_empty', value: frames.loaded.busyMsPerFrame / frames.empty.busyMsPerFrame, unit: '× (goal ≤ 1.5)' },
      { name: 'main_thread_ms_per_s_empty', value: frames.empty.busyMsPerSecond, unit: 'ms main-thread CPU per second (frames or not)' },
      { name: 'main_thread_ms_per_s_5k_markers', value: frames.loaded.busyMsPerSecond, unit: 'ms main-thread CPU per second (frames or not)' },
      { name: 'frames_per_s_empty', value: frames.empty.frames / (TRACE_MS / 1000), unit: 'frames begun per second (10 Hz pan asked)' },
      { name: 'frames_per_s_5k_markers', value: frames.loaded.frames / (TRACE_MS / 1000), unit: 'frames begun per second (10 Hz pan asked)' },
      { name: 'incident_to_screen_ms_p50', value: percentile(latencies, 50), unit: `ms MQTT publish → on the map (${INCIDENTS} incidents)` },
      { name: 'incident_to_screen_ms_p99', value: percentile(latencies, 99), unit: 'ms (goal ≤ 1000)' },
    ],
  };
}

export const GOALS: SuiteGoals = {
  frame_ms_5k_markers: { ratioMax: 1.5, against: 'frame_ms_empty' },
  main_thread_ms_per_s_5k_markers: { against: 'main_thread_ms_per_s_empty' },
  incident_to_screen_ms_p99: { max: 1_000 },
};
