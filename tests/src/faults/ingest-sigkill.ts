import type { MqttClient } from 'mqtt';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EmbeddedDatabase } from '@streetwise/db';
import { buildMosquittoFiles, loadMosquittoUsers, provisionCredential } from '@streetwise/identity';
import { waitFor } from '@streetwise/testing';
import { startPrivateMosquitto, type PrivateMosquitto } from '../ingest/brokers.js';
import { connectPublisher, count, embeddedDb, publishAll } from '../ingest/fixtures.js';
import { faultReport } from '../ingest/fault-report.js';
import { spawnIngest, type IngestProcess } from '../ingest/ingest-process.js';
import { birth, event, publication } from '../ingest/messages.js';
import { runId } from '../ingest/wait.js';
import { waitForCount, withProgress } from './progress.js';
import { checkScale, premise, resultFrom, type FaultResult, type FaultScenarioOptions } from './scenario.js';

/**
 * The ingest process SIGKILLed mid-batch and restarted, while a separate publisher keeps a steady 1,000
 * QoS 1 events/s. The database outlives ingest: the embedded DB hosted by this process, served to the
 * ingest process on its wire port (one client: pool of 1). The broker is the machine's mosquitto binary
 * with a private config (unlimited session queues), so the dead worker's share waits in its sessions until
 * the restarted worker takes them back. Authentication is on: the password file and ACL generated from the
 * registry, ingest logging in with its ingest credential (MQTT_USERNAME / MQTT_PASSWORD_FILE), the
 * publisher with a gateway credential. Scale 1: 20,000 events from 20 devices, killed at 6,000 and 14,000
 * published; scale N: 20,000 × ceil(N / 2) events, 1 + ceil(N / 2) kills (at most 6) spread evenly from 30 %
 * to 70 % of the stream.
 */
const DEVICES = 20;
const CHUNK = 250;
const TICK_MS = 250; // 1,000 events/s

export function ingestSigkillSizes(scale: number): { events: number; killsAtPublished: number[] } {
  checkScale(scale);
  const events = 20_000 * Math.ceil(scale / 2);
  const kills = Math.min(6, 1 + Math.ceil(scale / 2));
  return { events, killsAtPublished: Array.from({ length: kills }, (_, k) => Math.round(events * (0.3 + (0.4 * k) / (kills - 1)))) };
}

async function storedBy(worker: IngestProcess): Promise<number> {
  const text = await (await fetch(`${worker.opsUrl}/metrics`)).text();
  return Number(/streetwise_ingest_messages_total\{result="stored"\} (\d+)/.exec(text)?.[1] ?? 0);
}

export async function ingestSigkill({ scale, progress }: FaultScenarioOptions): Promise<FaultResult> {
  const startedMs = performance.now();
  const { events: total, killsAtPublished } = ingestSigkillSizes(scale);
  const run = runId('l');
  const secrets = mkdtempSync(join(tmpdir(), 'sw-loss-'));
  let db: EmbeddedDatabase | undefined;
  let mosquitto: PrivateMosquitto | undefined;
  let ingest: IngestProcess | undefined;
  let publisher: MqttClient | undefined;
  let publishing: Promise<void> | undefined;
  let stopPublishing = false;
  try {
    const store = await embeddedDb({ wirePort: 0 });
    db = store;
    const ingestToken = (await provisionCredential(store, { id: `ing-${run}`, kind: 'ingest' })).token;
    const publisherToken = (await provisionCredential(store, { id: `pub-${run}`, kind: 'gateway', scope: [`d${run}-*`] })).token;
    writeFileSync(join(secrets, 'ingest.token'), ingestToken, { mode: 0o600 });
    const devices = Array.from({ length: DEVICES }, (_, i) => `d${run}-${i}`);
    mosquitto = await startPrivateMosquitto(buildMosquittoFiles(await loadMosquittoUsers(store), devices, run));
    const env = {
      MQTT_USERNAME: `ing-${run}`,
      MQTT_PASSWORD_FILE: join(secrets, 'ingest.token'),
      MQTT_URL: `mqtt://127.0.0.1:${mosquitto.port}`,
      DATABASE_URL: `postgres://postgres@127.0.0.1:${store.wirePort}/postgres`,
      DB_POOL_SIZE: '1',
      INGEST_MIGRATE: 'false',
      INGEST_CONNECTIONS: '16',
      INGEST_CLIENT_ID: `ing-${run}`,
      INGEST_GROUP: `g${run}`,
      TOPIC_PREFIX: run,
    };
    const rows = (): Promise<number> => count(store, 'select count(*) n from events where device_id like $1', [`d${run}-%`]);
    ingest = await spawnIngest(env);
    const client = await connectPublisher(`mqtt://127.0.0.1:${mosquitto.port}`, `pub-${run}`, { username: `pub-${run}`, password: publisherToken });
    publisher = client;
    await publishAll(client, devices.map((d) => publication(run, d, 'status', birth(d))), true);
    const first = ingest;
    await waitFor(async () => (await storedBy(first)) === DEVICES, { timeoutMs: 30_000, what: 'devices registered' });
    progress(`${total} events from ${DEVICES} devices at 1,000/s; ingest SIGKILLed at ${killsAtPublished.join(', ')} published`);

    // The publisher keeps a steady rate, so it is still publishing while each worker is killed and while its successor starts.
    const ids: string[] = [];
    publishing = (async () => {
      for (let start = 0; start < total && !stopPublishing; start += CHUNK) {
        const tick = new Promise((resolve) => setTimeout(resolve, TICK_MS));
        const chunk = Array.from({ length: CHUNK }, (_, i) => {
          const device = devices[(start + i) % DEVICES]!;
          const message = event(device, { trackId: start + i });
          ids.push(message.id);
          return publication(run, device, 'event', message);
        });
        await Promise.all([publishAll(client, chunk), tick]);
      }
    })();

    // Kill by the publisher's progress, not by rows stored: on a loaded machine ingest may lag far
    // behind, and the kills must fall while messages are still arriving. Each worker must have
    // committed something first, so every kill hits a worker in the middle of its work.
    let rowsBefore = 0;
    for (const [k, killAtPublished] of killsAtPublished.entries()) {
      const published = waitFor(() => ids.length >= killAtPublished, { timeoutMs: 120_000, what: `${killAtPublished} published`, intervalMs: 5 });
      await withProgress(published, () => `${ids.length} of ${total} published; next SIGKILL at ${killAtPublished}`, progress);
      await waitFor(async () => (await rows()) > rowsBefore, { timeoutMs: 120_000, what: 'a commit by this worker', intervalMs: 20 });
      await ingest.kill('SIGKILL');
      const publishedAtKill = ids.length;
      rowsBefore = await rows();
      ingest = await spawnIngest(env);
      progress(`SIGKILL ${k + 1} of ${killsAtPublished.length} with ${rowsBefore} rows stored and ${publishedAtKill} of ${total} published; restarted`);
      premise(publishedAtKill < total, `the publisher was no longer publishing at kill ${k + 1} (${publishedAtKill} of ${total} published)`);
    }
    await withProgress(publishing, () => `${ids.length} of ${total} published`, progress);
    publishing = undefined;
    await waitForCount(rows, total, 'rows stored', progress, 90_000 * Math.ceil(scale / 2) + 90_000);

    const report = await faultReport(store, `ingest SIGKILLed ${killsAtPublished.length}× mid-stream, restarted each time`, ids, `d${run}-%`);
    const deadLetters = await count(store, 'select count(*) n from dead_letters where topic like $1', [`${run}/%`]);
    const metrics = await (await fetch(`${ingest.opsUrl}/metrics`)).text();
    progress(`last worker: ${metrics.split('\n').filter((l) => l.startsWith('streetwise_ingest_messages_total')).join(', ')}`);
    return resultFrom('ingest-sigkill', report, deadLetters, startedMs, { kills: killsAtPublished.length });
  } finally {
    stopPublishing = true; // a failed run: its publisher loop stops at the next chunk
    await publishing?.catch(() => undefined);
    await ingest?.kill('SIGKILL');
    await publisher?.endAsync(true);
    await mosquitto?.stop();
    await db?.close();
    rmSync(secrets, { recursive: true, force: true });
  }
}
