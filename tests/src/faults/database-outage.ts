import type { MqttClient } from 'mqtt';
import { createServerDatabase, type ServerDatabase } from '@streetwise/db';
import { waitFor } from '@streetwise/testing';
import { startPrivateMosquitto, type PrivateMosquitto } from '../ingest/brokers.js';
import { faultReport } from '../ingest/fault-report.js';
import { connectPublisher, count, publishAll, testLogger } from '../ingest/fixtures.js';
import { spawnIngest, type IngestProcess } from '../ingest/ingest-process.js';
import { birth, event, publication } from '../ingest/messages.js';
import { createIngestTables } from '../ingest/plain-postgres.js';
import { startPrivatePostgres, type PrivatePostgres } from '../private-postgres.js';
import { runId } from '../ingest/wait.js';
import { waitForCount, withProgress } from './progress.js';
import { checkScale, premise, resultFrom, type FaultResult, type FaultScenarioOptions } from './scenario.js';

/**
 * A database outage on a real PostgreSQL server: a private cluster (initdb in a temp dir, its own port;
 * never the machine's shared server) under the real ingest process (pg adapter), while devices publish at
 * a steady 1,000 events/s through a private Mosquitto. The server is crashed (pg_ctl stop -m immediate)
 * mid-stream and started again once `outageEvents` more have been published; every event must then be
 * exactly one row. Scale 1: 5,000 events from 10 devices, crashed after 500 rows, down for 2,500 events
 * (about 2.5 s, more with the start-up); scale N: 5,000 × N events, crashed after 500 × N rows, down for
 * 2,500 × min(N, 6) events (15,000 from scale 6: about 15 s).
 */
const DEVICES = 10;
const CHUNK = 100;
const TICK_MS = 100; // 1,000 events/s

export function databaseOutageSizes(scale: number): { events: number; rowsBeforeCrash: number; outageEvents: number } {
  checkScale(scale);
  return { events: 5_000 * scale, rowsBeforeCrash: 500 * scale, outageEvents: 2_500 * Math.min(scale, 6) };
}

interface Health { components: { database: { status: string } } }

export async function databaseOutage({ scale, progress }: FaultScenarioOptions): Promise<FaultResult> {
  const startedMs = performance.now();
  const { events: total, rowsBeforeCrash, outageEvents } = databaseOutageSizes(scale);
  let pg: PrivatePostgres | undefined;
  let mosquitto: PrivateMosquitto | undefined;
  let db: ServerDatabase | undefined;
  let ingest: IngestProcess | undefined;
  let publisher: MqttClient | undefined;
  let publishing: Promise<void> | undefined;
  let stopPublishing = false;
  try {
    progress('starting a private PostgreSQL cluster (initdb) and a private Mosquitto');
    [pg, mosquitto] = await Promise.all([startPrivatePostgres(), startPrivateMosquitto()]);
    const server = pg;
    db = await createServerDatabase({ connectionString: server.url, requireTimescale: false, max: 2, logger: testLogger() });
    await createIngestTables(db);
    const run = runId('p');
    ingest = await spawnIngest({
      MQTT_URL: `mqtt://127.0.0.1:${mosquitto.port}`,
      DATABASE_URL: server.url,
      DB_REQUIRE_TIMESCALE: 'false',
      INGEST_MIGRATE: 'false',
      INGEST_CLIENT_ID: `ing-${run}`,
      INGEST_GROUP: `g${run}`,
      INGEST_CONNECTIONS: '4',
      INGEST_SESSION_EXPIRY_S: '600',
      TOPIC_PREFIX: run,
    });
    const opsUrl = ingest.opsUrl;
    const health = async (): Promise<Health> => (await fetch(`${opsUrl}/health`)).json() as Promise<Health>;
    const deviceLike = `d${run}-%`;
    const devices = Array.from({ length: DEVICES }, (_, i) => `d${run}-${i}`);
    const client = await connectPublisher(`mqtt://127.0.0.1:${mosquitto.port}`, `pub-${run}`);
    publisher = client;
    await publishAll(client, devices.map((d) => publication(run, d, 'status', birth(d))), true);
    const registered = db;
    await waitFor(async () => (await count(registered, 'select count(*) n from devices where id like $1', [deviceLike])) === DEVICES, { timeoutMs: 30_000, what: 'devices registered' });
    progress(`${total} events from ${DEVICES} devices at 1,000/s; the database crashed after ${rowsBeforeCrash} rows, down for ${outageEvents} events`);

    const ids: string[] = [];
    publishing = (async () => {
      for (let start = 0; start < total && !stopPublishing; start += CHUNK) {
        const tick = new Promise((resolve) => setTimeout(resolve, TICK_MS));
        const chunk = Array.from({ length: CHUNK }, (_, i) => {
          const message = event(devices[(start + i) % DEVICES]!, { trackId: start + i });
          ids.push(message.id);
          return publication(run, message.deviceId, 'event', message);
        });
        await Promise.all([publishAll(client, chunk), tick]);
      }
    })();

    const before = db;
    await waitFor(async () => (await count(before, 'select count(*) n from events where device_id like $1', [deviceLike])) >= rowsBeforeCrash, { timeoutMs: 30_000 * scale, what: 'events stored before the crash', intervalMs: 20 });
    await db.close(); // this process's own pool goes too; a new one after the restart
    db = undefined;
    await server.stop('immediate');
    const sentAtCrash = ids.length;
    const downAt = performance.now();
    premise(sentAtCrash + outageEvents <= total, `the crash came too late: ${sentAtCrash} of ${total} already published, ${outageEvents} more needed during the outage`);
    progress(`database crashed (pg_ctl stop -m immediate) at ${sentAtCrash} of ${total} published`);
    await waitFor(async () => (await health()).components.database.status === 'down', { timeoutMs: 30_000, what: 'ingest sees the database down' });
    let lastMs = performance.now();
    await waitFor(() => {
      if (performance.now() - lastMs >= 5_000) {
        lastMs = performance.now();
        progress(`database down ${((performance.now() - downAt) / 1000).toFixed(0)} s, ${ids.length - sentAtCrash} of ${outageEvents} published meanwhile`);
      }
      return ids.length >= sentAtCrash + outageEvents;
    }, { timeoutMs: 30_000 + 3 * outageEvents, what: 'events published during the outage', intervalMs: 10 });
    await server.start();
    const downMs = performance.now() - downAt;
    const sentDuringOutage = ids.length - sentAtCrash;
    progress(`database up again after ${(downMs / 1000).toFixed(1)} s (${sentDuringOutage} events published meanwhile)`);
    await withProgress(publishing, () => `${ids.length} of ${total} published`, progress);
    publishing = undefined;

    const after = await createServerDatabase({ connectionString: server.url, requireTimescale: false, max: 2, logger: testLogger() });
    db = after;
    const rows = (): Promise<number> => count(after, 'select count(*) n from events where device_id like $1', [deviceLike]);
    await waitForCount(rows, total, 'rows stored after the restart', progress, 60_000 * scale);
    await waitFor(async () => (await health()).components.database.status === 'up', { timeoutMs: 30_000, what: 'ingest sees the database up' });
    const report = await faultReport(after, `database server crashed for ${(downMs / 1000).toFixed(1)} s (${sentDuringOutage} events sent meanwhile)`, ids, deviceLike);
    const deadLetters = await count(after, 'select count(*) n from dead_letters where topic like $1', [`${run}/%`]);
    return resultFrom('database-outage', report, deadLetters, startedMs, { downMs: Math.round(downMs), sentDuringOutage });
  } finally {
    stopPublishing = true; // a failed run: its publisher loop stops at the next chunk
    await publishing?.catch(() => undefined);
    await ingest?.kill('SIGKILL');
    await publisher?.endAsync(true);
    await db?.close();
    await mosquitto?.stop();
    await pg?.destroy();
  }
}
