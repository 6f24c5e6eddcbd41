/**
 * `npm run bench -- console`: the operators' web app in Debian's headless Chromium.
 *
 * - frame_ms_empty / frame_ms_5k_markers: the renderer main thread's busy time per rendered frame (median of
 *   one-second windows over 20 s of a Chromium trace), on the live map panning slowly, first with no device,
 *   then with 5,000 devices each changing once a second (one `devices:diff` a second, as the console sends).
 *   Same browser, same page. Goal: 5k ≤ 1.5 × empty.
 * - incident_to_screen_ms_p50 / _p99: a critical event published over MQTT by a device (the real stack:
 *   embedded broker, ingest, database, console) until its incident is on the page's map. Goal: p99 ≤ 1 s.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import type { Page } from 'playwright-core';
import { createEmbeddedDatabase, migrate } from '@streetwise/db';
import { build, listen } from '@streetwise/console';
import { deviceTopic, encodeMessage, makeMessage } from '@streetwise/protocol';
import { STACK_SETTINGS, startStack } from '@streetwise/stack';
import { launchChromium } from '../browser.js';
import { addUser, TEST_SCRYPT_COST } from '../console-auth.js';
import { testLogger } from '../ingest/fixtures.js';
import { ensureWebAppBuilt } from '../web-app.js';
import { deviceInSource, mapReady, signInPage, until } from '../web-page.js';
import type { BenchOptions, SuiteResult } from './main.js';
import { frameCost, traceFor } from './console-trace.js';

const TRACE_MS = 20_000;
const DEVICES = 5_000;
const INCIDENTS = 20;
const STATES = ['online', 'degraded', 'offline'] as const;

/** A repeatable spread of devices over Hong Kong's built-up area. */
function devicePositions(n: number): Array<[number, number]> {
  let seed = 42;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  return Array.from({ length: n }, () => [113.95 + random() * 0.33, 22.22 + random() * 0.24]);
}

function feature(i: number, [lon, lat]: [number, number], tick: number) {
  const id = `bench-${i}`;
  return {
    type: 'Feature' as const, id, geometry: { type: 'Point' as const, coordinates: [lon + ((tick % 3) - 1) * 1e-5, lat] },
    properties: { id, name: id, kind: 'camera', state: STATES[(i + tick) % 3]!, stateReason: null, district: null, keySite: false, severity: (i + tick) % 97 === 0 ? 'high' : null },
  };
}

/** Keeps the map drawing every frame (a slow circular pan), so both phases render the same number of frames. */
async function startPanning(page: Page): Promise<void> {
  // A script string: it runs in the page, and this package has no DOM types.
  await page.evaluate(`(() => {
    const map = window.streetwiseMap;
    const step = (now) => {
      map.jumpTo({ center: [114.15 + 0.02 * Math.cos(now / 4000), 22.35 + 0.02 * Math.sin(now / 4000)] });
      requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  })()`);
}

async function measureFrames(options: BenchOptions): Promise<{ empty: number; loaded: number; frames: [number, number] }> {
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
    const empty = frameCost(await traceFor(page, TRACE_MS));
    const positions = devicePositions(DEVICES);
    let tick = 0;
    const send = () => app.io.emit('devices:diff', { v: 1, at: new Date().toISOString(), upsert: positions.map((p, i) => feature(i, p, tick)), remove: [] });
    send();
    await until(async () => (await deviceInSource(page, `bench-${DEVICES - 1}`)) !== undefined, `${DEVICES} devices on the map`, 60_000);
    timer = setInterval(() => {
      tick++;
      send();
    }, 1000);
    options.progress(`tracing ${TRACE_MS / 1000} s with ${DEVICES} devices changing once a second`);
    const loaded = frameCost(await traceFor(page, TRACE_MS));
    return { empty: empty.busyMsPerFrame, loaded: loaded.busyMsPerFrame, frames: [empty.frames, loaded.frames] };
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
  const client = await mqtt.connectAsync(stack.mqttUrl, { clientId: 'bench-console-pub', protocolVersion: 4, reconnectPeriod: 0 });
  try {
    await addUser(stack.db, 'bench', 'operator');
    const devices = Array.from({ length: INCIDENTS }, (_, i) => ({ id: `bench-cam-${i}`, lat: 22.28 + i * 0.004, lon: 114.15 + i * 0.003 }));
    for (const d of devices) {
      const birth = makeMessage('status', { deviceId: d.id, state: 'online', kind: 'camera', name: d.id, location: { lat: d.lat, lon: d.lon }, capabilities: ['detect'], models: {}, firmware: '0.1.0' });
      await client.publishAsync(deviceTopic(d.id, 'status', 'streetwise'), encodeMessage(birth), { qos: 1, retain: true });
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
      await client.publishAsync(deviceTopic(d.id, 'event', 'streetwise'), encodeMessage(event), { qos: 1 });
      const seenAt = await page.waitForFunction((n) => (globalThis as unknown as { incidentSeenAt: number[] }).incidentSeenAt[n], i, { timeout: 30_000 });
      latencies.push(Number(await seenAt.jsonValue()) - sentAt);
    }
    options.progress(`incident to screen: ${latencies.map((l) => l.toFixed(0)).join(', ')} ms`);
    return latencies;
  } finally {
    await client.endAsync();
    await browser.close();
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function run(options: BenchOptions): Promise<SuiteResult> {
  ensureWebAppBuilt();
  const frames = await measureFrames(options);
  options.progress(`frames traced: ${frames.frames[0]} empty, ${frames.frames[1]} with ${DEVICES} devices`);
  const latencies = await measureIncidentToScreen(options);
  return {
    suite: 'console',
    figures: [
      { name: 'frame_ms_empty', value: frames.empty, unit: 'ms main-thread busy per frame (median, 20 s)' },
      { name: 'frame_ms_5k_markers', value: frames.loaded, unit: `ms main-thread busy per frame (median, 20 s, ${DEVICES} devices changing 1/s)` },
      { name: 'frame_ratio_5k_vs_empty', value: frames.loaded / frames.empty, unit: '× (goal ≤ 1.5)' },
      { name: 'incident_to_screen_ms_p50', value: percentile(latencies, 50), unit: `ms MQTT publish → on the map (${INCIDENTS} incidents)` },
      { name: 'incident_to_screen_ms_p99', value: percentile(latencies, 99), unit: 'ms (goal ≤ 1000)' },
    ],
  };
}
