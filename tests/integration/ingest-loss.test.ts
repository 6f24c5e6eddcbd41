import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EmbeddedDatabase } from '@streetwise/db';
import { buildMosquittoFiles, loadMosquittoUsers, provisionCredential } from '@streetwise/identity';
import { startPrivateMosquitto, type PrivateMosquitto } from '../src/ingest/brokers.js';
import { connectPublisher, count, embeddedDb, publishAll } from '../src/ingest/fixtures.js';
import { faultReport } from '../src/ingest/fault-report.js';
import { spawnIngest, type IngestProcess } from '../src/ingest/ingest-process.js';
import { birth, event, publication } from '../src/ingest/messages.js';
import { waitFor } from '@streetwise/testing';
import { runId } from '../src/ingest/wait.js';

/**
 * Loss test: 20,000 QoS 1 events from a separate publisher while the ingest process is SIGKILLed and
 * restarted twice → exactly 20,000 rows, no duplicates. The database outlives ingest: the embedded DB
 * hosted by this test process, served to the ingest process on its wire port (one client: pool of 1).
 * The broker is the machine's mosquitto binary with a private config (unlimited session queues), so
 * the dead worker's share waits in its sessions until the restarted worker takes them back. It runs
 * with authentication on: the password file and ACL generated from the registry, ingest logging in with
 * its ingest credential (MQTT_USERNAME / MQTT_PASSWORD_FILE), the publisher with a gateway credential.
 */
const TOTAL = 20_000;

async function storedBy(worker: IngestProcess): Promise<number> {
  const text = await (await fetch(`${worker.opsUrl}/metrics`)).text();
  return Number(/streetwise_ingest_messages_total\{result="stored"\} (\d+)/.exec(text)?.[1] ?? 0);
}
const DEVICES = 20;

describe('ingest process killed twice under load', () => {
  let db: EmbeddedDatabase;
  let mosquitto: PrivateMosquitto;
  let ingest: IngestProcess | undefined;
  let publisher: MqttClient | undefined;
  const run = runId('l');
  const secrets = mkdtempSync(join(tmpdir(), 'sw-loss-'));
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    db = await embeddedDb({ wirePort: 0 });
    tokens.set('ingest', (await provisionCredential(db, { id: `ing-${run}`, kind: 'ingest' })).token);
    tokens.set('publisher', (await provisionCredential(db, { id: `pub-${run}`, kind: 'gateway', scope: [`d${run}-*`] })).token);
    writeFileSync(join(secrets, 'ingest.token'), tokens.get('ingest')!, { mode: 0o600 });
    const devices = Array.from({ length: DEVICES }, (_, i) => `d${run}-${i}`);
    mosquitto = await startPrivateMosquitto(buildMosquittoFiles(await loadMosquittoUsers(db), devices, run));
  });
  afterAll(async () => {
    await ingest?.kill('SIGKILL');
    await publisher?.endAsync(true);
    await mosquitto?.stop();
    await db?.close();
    rmSync(secrets, { recursive: true, force: true });
  });

  it(`stores exactly ${TOTAL} events, once each`, async () => {
    const env = {
      MQTT_USERNAME: `ing-${run}`,
      MQTT_PASSWORD_FILE: join(secrets, 'ingest.token'),
      MQTT_URL: `mqtt://127.0.0.1:${mosquitto.port}`,
      DATABASE_URL: `postgres://postgres@127.0.0.1:${db.wirePort}/postgres`,
      DB_POOL_SIZE: '1',
      INGEST_MIGRATE: 'false',
      INGEST_CONNECTIONS: '16',
      INGEST_CLIENT_ID: `ing-${run}`,
      INGEST_GROUP: `g${run}`,
      TOPIC_PREFIX: run,
    };
    const rows = (): Promise<number> => count(db, 'select count(*) n from events where device_id like $1', [`d${run}-%`]);
    ingest = await spawnIngest(env);
    publisher = await connectPublisher(`mqtt://127.0.0.1:${mosquitto.port}`, `pub-${run}`, { username: `pub-${run}`, password: tokens.get('publisher')! });
    const devices = Array.from({ length: DEVICES }, (_, i) => `d${run}-${i}`);
    await publishAll(publisher, devices.map((d) => publication(run, d, 'status', birth(d))), true);
    await waitFor(async () => (await storedBy(ingest!)) === DEVICES, { timeoutMs: 30_000, what: 'devices registered' });

    // The publisher keeps a steady 1,000 events/s (250 every 250 ms), so it is still publishing
    // while each worker is killed and while its successor starts.
    const ids: string[] = [];
    const publishing = (async () => {
      for (let start = 0; start < TOTAL; start += 250) {
        const tick = new Promise((resolve) => setTimeout(resolve, 250));
        const chunk = Array.from({ length: 250 }, (_, i) => {
          const device = devices[(start + i) % DEVICES]!;
          const message = event(device, { trackId: start + i });
          ids.push(message.id);
          return publication(run, device, 'event', message);
        });
        await Promise.all([publishAll(publisher, chunk), tick]);
      }
    })();

    // Kill by the publisher's progress, not by rows stored: on a loaded machine ingest may lag far
    // behind, and the kills must fall while messages are still arriving. Each worker must have
    // committed something first, so every kill hits a worker in the middle of its work.
    let rowsBefore = 0;
    for (const killAtPublished of [6_000, 14_000]) {
      await waitFor(() => ids.length >= killAtPublished, { timeoutMs: 120_000, what: `${killAtPublished} published`, intervalMs: 5 });
      await waitFor(async () => (await rows()) > rowsBefore, { timeoutMs: 120_000, what: 'a commit by this worker', intervalMs: 20 });
      await ingest.kill('SIGKILL');
      const published = ids.length;
      rowsBefore = await rows();
      ingest = await spawnIngest(env);
      process.stderr.write(`[loss] SIGKILL with ${rowsBefore} rows stored and ${published} of ${TOTAL} published; restarted\n`);
      expect(published, 'the publisher was still publishing at the kill').toBeLessThan(TOTAL);
    }
    await publishing;
    await waitFor(async () => (await rows()) >= TOTAL, { timeoutMs: 180_000, what: `${TOTAL} rows`, intervalMs: 100 });

    const report = await faultReport(db, 'ingest SIGKILLed twice mid-stream, restarted each time', ids, `d${run}-%`);
    expect(report).toMatchObject({ eventsSent: TOTAL, rowsStored: TOTAL, duplicates: 0, lost: 0 });
    expect(await count(db, 'select count(*) n from dead_letters where topic like $1', [`${run}/%`])).toBe(0);
    const metrics = await (await fetch(`${ingest.opsUrl}/metrics`)).text();
    process.stderr.write(`[loss] last worker: ${metrics.split('\n').filter((l) => l.startsWith('streetwise_ingest_messages_total')).join(', ')}\n`);
  });
});
