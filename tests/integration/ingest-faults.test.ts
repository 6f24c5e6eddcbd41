import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { createMemoryOutbox, createPublisher, openFileOutbox, type OutboxStore, type Publisher } from '@streetwise/edge-agent';
import { createIngest, type Ingest } from '@streetwise/ingest';
import { waitFor } from '@streetwise/testing';
import { startPrivateMosquitto, type PrivateMosquitto } from '../src/ingest/brokers.js';
import { faultReport } from '../src/ingest/fault-report.js';
import { connectPublisher, count, publishAll, testLogger } from '../src/ingest/fixtures.js';
import { HK, event, publication } from '../src/ingest/messages.js';
import { createPlainPostgresDatabase, type PlainPostgresDatabase } from '../src/ingest/plain-postgres.js';
import { startTcpProxy, type TcpProxy } from '../src/ingest/tcp-proxy.js';
import { runId } from '../src/ingest/wait.js';

/**
 * Faults between the devices and the database, at small scale: the broker restarted mid-stream, and a
 * device's network gone and back. The devices are the edge agent's real publisher with its outbox (a
 * message leaves it only after its PUBACK); ingest runs in this process on the MQTT 5 transport against
 * the machine's mosquitto binary (a private config), writing to a throw-away database on the machine's
 * PostgreSQL. Each reports events sent, rows stored and duplicates: 0 lost, 0 duplicated. (ingest
 * SIGKILLed mid-batch and restarted: ingest-loss.test.ts; the database down: ingest-outage.test.ts.)
 */
const RATE_PER_TICK = 25;
const TICK_MS = 25;

function device(id: string, mqttUrl: string, prefix: string, outbox: OutboxStore): Publisher {
  const publisher = createPublisher({
    deviceId: id,
    mqttUrl,
    prefix,
    outbox,
    birth: { kind: 'camera', location: HK, district: 'Central and Western', name: `Camera ${id}` },
    healthIntervalS: 0,
    logger: testLogger(),
    mqtt: { reconnectPeriod: 100 },
  });
  publisher.start();
  return publisher;
}

/** Every device publishes RATE_PER_TICK events every TICK_MS (1,000 events/s in all) until `total` are out. */
async function detectSteadily(devices: readonly Publisher[], total: number, ids: string[]): Promise<void> {
  for (let sent = 0; sent < total; ) {
    const tick = new Promise((resolve) => setTimeout(resolve, TICK_MS));
    for (let i = 0; i < RATE_PER_TICK && sent < total; i++, sent++) {
      ids.push(devices[sent % devices.length]!.publishEvent({ type: 'detection', severity: 'info', class: 'person', trackId: sent }).id);
    }
    await tick;
  }
}

describe('ingest through faults on the way in', () => {
  let pg: PlainPostgresDatabase;
  let mosquitto: PrivateMosquitto | undefined;
  let ingest: Ingest | undefined;
  let proxy: TcpProxy | undefined;
  const devices: Publisher[] = [];
  const outboxes: OutboxStore[] = [];
  const dirs: string[] = [];

  beforeAll(async () => {
    pg = await createPlainPostgresDatabase('faults');
  });
  afterAll(async () => {
    await pg?.drop();
  });
  afterEach(async () => {
    for (const d of devices.splice(0)) await d.stop();
    for (const o of outboxes.splice(0)) o.close();
    await ingest?.stop({ endSessions: true });
    await proxy?.close();
    await mosquitto?.stop();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    ingest = undefined;
    proxy = undefined;
    mosquitto = undefined;
  });

  function startIngest(run: string, port: number): Promise<void> {
    ingest = createIngest({
      db: pg.db,
      transport: { kind: 'mqtt', url: `mqtt://127.0.0.1:${port}`, connections: 4, group: `g${run}`, clientIdPrefix: `ing-${run}`, sessionExpirySeconds: 600, reconnectPeriodMs: 100 },
      prefix: run,
      logger: testLogger(),
      registry: new Registry(),
    });
    return ingest.start();
  }

  it('the broker restarted mid-stream: every event one row', async () => {
    const run = runId('br');
    const total = 3_000;
    mosquitto = await startPrivateMosquitto(undefined, { persistence: true });
    await startIngest(run, mosquitto.port);
    // The devices reach the broker through their own network path, which goes down with the broker.
    proxy = await startTcpProxy(mosquitto.port);
    for (let i = 0; i < 5; i++) {
      outboxes.push(createMemoryOutbox());
      devices.push(device(`d${run}-${i}`, `mqtt://127.0.0.1:${proxy.port}`, run, outboxes[i]!));
    }
    await Promise.all(devices.map((d) => d.whenConnected(10_000)));
    const rows = (): Promise<number> => count(pg.db, 'select count(*) n from events where device_id like $1', [`d${run}-%`]);

    const ids: string[] = [];
    const detecting = detectSteadily(devices, total, ids);
    await waitFor(() => ids.length >= total / 3, { timeoutMs: 30_000, what: 'a third sent', intervalMs: 5 });
    await waitFor(async () => (await rows()) > 0, { timeoutMs: 30_000, what: 'rows before the restart' });
    // SIGTERM: mosquitto writes its sessions and queued messages to its persistence file; then the same
    // config and port again, and ingest reconnects by itself. Mosquitto 2.0.11 restores the sessions but
    // not their shared subscriptions: ingest subscribes again, and until it has, what a device publishes
    // is heard by nobody (yet acked). So the devices get back in once a canary event is stored.
    proxy.cut();
    await mosquitto.restart();
    const sentAtRestart = ids.length;
    const canaryDevice = `d${run}-0`;
    const canary = event(canaryDevice, { trackId: total });
    ids.push(canary.id);
    const direct = await connectPublisher(`mqtt://127.0.0.1:${mosquitto.port}`, `canary-${run}`);
    try {
      await waitFor(async () => {
        await publishAll(direct, [publication(run, canaryDevice, 'event', canary)]);
        return (await count(pg.db, 'select count(*) n from events where id = $1', [canary.id])) === 1;
      }, { timeoutMs: 30_000, what: 'ingest subscribed again (the canary stored)', intervalMs: 200 });
    } finally {
      await direct.endAsync();
    }
    proxy.restore();
    expect(sentAtRestart, 'devices were still sending at the restart').toBeLessThan(total);
    await detecting;
    await Promise.all(devices.map((d) => d.whenDrained(30_000)));
    await waitFor(async () => (await rows()) >= total + 1, { timeoutMs: 30_000, what: `${total + 1} rows`, intervalMs: 100 });

    const report = await faultReport(pg.db, `broker restarted at ${sentAtRestart} of ${total} sent`, ids, `d${run}-%`);
    expect(report).toMatchObject({ eventsSent: total + 1, rowsStored: total + 1, duplicates: 0, lost: 0 });
    expect(devices.every((d) => d.stats().connects >= 2), 'every device reconnected').toBe(true);
    expect(await count(pg.db, 'select count(*) n from dead_letters where topic like $1', [`${run}/%`])).toBe(0);
  });

  it('a device offline, rebooted while offline, then back: its disk outbox replays, every event one row', async () => {
    const run = runId('off');
    const online = 500;
    const offline = 1_000;
    mosquitto = await startPrivateMosquitto();
    await startIngest(run, mosquitto.port);
    proxy = await startTcpProxy(mosquitto.port);
    const id = `d${run}-0`;
    const dir = mkdtempSync(join(tmpdir(), 'sw-outbox-'));
    dirs.push(dir);
    outboxes.push(openFileOutbox({ dir }));
    devices.push(device(id, `mqtt://127.0.0.1:${proxy.port}`, run, outboxes[0]!));
    await devices[0]!.whenConnected(10_000);

    const ids: string[] = [];
    await detectSteadily(devices, online, ids);
    await devices[0]!.whenDrained(30_000);

    proxy.cut();
    await waitFor(() => !devices[0]!.stats().connected, { timeoutMs: 10_000, what: 'the device offline' });
    const sentOnline = ids.length;
    await detectSteadily(devices, offline / 2, ids);
    // Power lost while offline: the process ends, the outbox folder stays; a new process opens it.
    await devices[0]!.stop();
    outboxes[0]!.close();
    outboxes[0] = openFileOutbox({ dir });
    expect(outboxes[0].stats().depth, 'the outbox kept what was sent offline').toBe(offline / 2);
    devices[0] = device(id, `mqtt://127.0.0.1:${proxy.port}`, run, outboxes[0]);
    await detectSteadily(devices, offline / 2, ids);
    expect(devices[0].stats().connected).toBe(false);
    expect(outboxes[0].stats().depth).toBe(offline);

    proxy.restore();
    await devices[0].whenDrained(30_000);
    const total = online + offline;
    await waitFor(async () => (await count(pg.db, 'select count(*) n from events where device_id = $1', [id])) >= total, { timeoutMs: 30_000, what: `${total} rows`, intervalMs: 100 });
    const report = await faultReport(pg.db, `device offline for ${ids.length - sentOnline} events (rebooted halfway), then back`, ids, id);
    expect(report).toMatchObject({ eventsSent: total, rowsStored: total, duplicates: 0, lost: 0 });
    expect(await count(pg.db, 'select count(*) n from dead_letters where topic like $1', [`${run}/%`])).toBe(0);
  });
});
