import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { createServerDatabase, type ServerDatabase } from '@streetwise/db';
import { startPrivateMosquitto, type PrivateMosquitto } from '../src/ingest/brokers.js';
import { faultReport } from '../src/ingest/fault-report.js';
import { connectPublisher, count, publishAll, testLogger } from '../src/ingest/fixtures.js';
import { spawnIngest, type IngestProcess } from '../src/ingest/ingest-process.js';
import { birth, event, publication } from '../src/ingest/messages.js';
import { createIngestTables } from '../src/ingest/plain-postgres.js';
import { startPrivatePostgres, type PrivatePostgres } from '../src/private-postgres.js';
import { waitFor } from '@streetwise/testing';
import { runId } from '../src/ingest/wait.js';

/**
 * A database outage on a real PostgreSQL server: a private cluster (initdb in a temp dir, its own port)
 * under the real ingest process (pg adapter), while devices publish at a steady rate through a private
 * Mosquitto. The server is crashed (pg_ctl stop -m immediate) mid-stream and started again after the
 * publisher has gone on for a while; every event must then be exactly one row.
 */
const TOTAL = 5_000;
const DEVICES = 10;
const CHUNK = 100;
const TICK_MS = 100; // 1,000 events/s

interface Health { components: { database: { status: string } } }

describe('database outage on a private PostgreSQL cluster under the ingest process', () => {
  let pg: PrivatePostgres;
  let mosquitto: PrivateMosquitto;
  let db: ServerDatabase | undefined;
  let ingest: IngestProcess | undefined;
  let publisher: MqttClient | undefined;

  beforeAll(async () => {
    [pg, mosquitto] = await Promise.all([startPrivatePostgres(), startPrivateMosquitto()]);
  });
  afterAll(async () => {
    await ingest?.kill('SIGKILL');
    await publisher?.endAsync(true);
    await db?.close();
    await mosquitto?.stop();
    await pg?.destroy();
  });

  it(`stores ${TOTAL} events once each across a crash and restart of the database server`, async () => {
    db = await createServerDatabase({ connectionString: pg.url, requireTimescale: false, max: 2, logger: testLogger() });
    await createIngestTables(db);
    const run = runId('p');
    ingest = await spawnIngest({
      MQTT_URL: `mqtt://127.0.0.1:${mosquitto.port}`,
      DATABASE_URL: pg.url,
      DB_REQUIRE_TIMESCALE: 'false',
      INGEST_MIGRATE: 'false',
      INGEST_CLIENT_ID: `ing-${run}`,
      INGEST_GROUP: `g${run}`,
      INGEST_CONNECTIONS: '4',
      INGEST_SESSION_EXPIRY_S: '600',
      TOPIC_PREFIX: run,
    });
    const health = async (): Promise<Health> => (await fetch(`${ingest!.opsUrl}/health`)).json() as Promise<Health>;
    const deviceLike = `d${run}-%`;
    const devices = Array.from({ length: DEVICES }, (_, i) => `d${run}-${i}`);
    publisher = await connectPublisher(`mqtt://127.0.0.1:${mosquitto.port}`, `pub-${run}`);
    await publishAll(publisher, devices.map((d) => publication(run, d, 'status', birth(d))), true);
    await waitFor(async () => (await count(db!, 'select count(*) n from devices where id like $1', [deviceLike])) === DEVICES, { timeoutMs: 30_000, what: 'devices registered' });

    const ids: string[] = [];
    const publishing = (async () => {
      for (let start = 0; start < TOTAL; start += CHUNK) {
        const tick = new Promise((resolve) => setTimeout(resolve, TICK_MS));
        const chunk = Array.from({ length: CHUNK }, (_, i) => {
          const message = event(devices[(start + i) % DEVICES]!, { trackId: start + i });
          ids.push(message.id);
          return publication(run, message.deviceId, 'event', message);
        });
        await Promise.all([publishAll(publisher, chunk), tick]);
      }
    })();

    await waitFor(async () => (await count(db!, 'select count(*) n from events where device_id like $1', [deviceLike])) >= 500, { timeoutMs: 30_000, what: 'events stored before the crash', intervalMs: 20 });
    await db.close(); // the test's own pool goes too; a new one after the restart
    db = undefined;
    await pg.stop('immediate');
    const sentAtCrash = ids.length;
    const downAt = performance.now();
    expect(sentAtCrash, 'the publisher was still publishing at the crash').toBeLessThan(TOTAL);
    await waitFor(async () => (await health()).components.database.status === 'down', { timeoutMs: 30_000, what: 'ingest sees the database down' });
    // Down while another 2,500 events are published (about 2.5 s at this rate, more with the start-up).
    await waitFor(() => ids.length >= sentAtCrash + 2_500, { timeoutMs: 30_000, what: 'events published during the outage', intervalMs: 10 });
    await pg.start();
    const downMs = performance.now() - downAt;
    const sentDuringOutage = ids.length - sentAtCrash;
    await publishing;

    db = await createServerDatabase({ connectionString: pg.url, requireTimescale: false, max: 2, logger: testLogger() });
    const rows = (): Promise<number> => count(db!, 'select count(*) n from events where device_id like $1', [deviceLike]);
    await waitFor(async () => (await rows()) >= TOTAL, { timeoutMs: 60_000, what: `all ${TOTAL} events after the restart`, intervalMs: 100 });
    await waitFor(async () => (await health()).components.database.status === 'up', { timeoutMs: 30_000, what: 'ingest sees the database up' });
    const report = await faultReport(db, `database server crashed for ${(downMs / 1000).toFixed(1)} s (${sentDuringOutage} events sent meanwhile)`, ids, deviceLike);
    expect(report).toMatchObject({ eventsSent: TOTAL, rowsStored: TOTAL, duplicates: 0, lost: 0 });
    expect(await count(db, 'select count(*) n from dead_letters where topic like $1', [`${run}/%`])).toBe(0);
  });
});
