import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { createEmbeddedDatabase, migrate, type EmbeddedDatabase } from '@streetwise/db';
import { startPrivateMosquitto, type PrivateMosquitto } from '../src/ingest/brokers.js';
import { connectPublisher, count, publishAll } from '../src/ingest/fixtures.js';
import { spawnIngest, type IngestProcess } from '../src/ingest/ingest-process.js';
import { birth, event, publication } from '../src/ingest/messages.js';
import { waitFor } from '@streetwise/testing';
import { runId } from '../src/ingest/wait.js';

/**
 * Scale-out: two ingest processes in one MQTT 5 shared-subscription group on the machine's mosquitto
 * binary split one stream between them, and together store every event exactly once. The database is
 * the embedded one on its wire port, opened to two clients (one per worker, pool of 1 each).
 */
const TOTAL = 4_000;
const DEVICES = 10;

async function storedBy(worker: IngestProcess): Promise<number> {
  const text = await (await fetch(`${worker.opsUrl}/metrics`)).text();
  return Number(/streetwise_ingest_messages_total\{result="stored"\} (\d+)/.exec(text)?.[1] ?? 0);
}

describe('two ingest workers on one shared subscription', () => {
  let db: EmbeddedDatabase;
  let mosquitto: PrivateMosquitto;
  const workers: IngestProcess[] = [];
  let publisher: MqttClient | undefined;

  beforeAll(async () => {
    [db, mosquitto] = await Promise.all([createEmbeddedDatabase({ dataDir: 'memory://', wirePort: 0, wireMaxClients: 2 }), startPrivateMosquitto()]);
    await migrate(db);
  });
  afterAll(async () => {
    for (const w of workers) await w.kill('SIGTERM');
    await publisher?.endAsync(true);
    await mosquitto?.stop();
    await db?.close();
  });

  it(`split ${TOTAL} events between them and store each once`, async () => {
    const run = runId('s');
    const env = (worker: number) => ({
      MQTT_URL: `mqtt://127.0.0.1:${mosquitto.port}`,
      DATABASE_URL: `postgres://postgres@127.0.0.1:${db.wirePort}/postgres`,
      DB_POOL_SIZE: '1',
      INGEST_MIGRATE: 'false',
      INGEST_CONNECTIONS: '8',
      INGEST_CLIENT_ID: `ing-${run}-${worker}`,
      INGEST_GROUP: `g${run}`,
      TOPIC_PREFIX: run,
    });
    workers.push(await spawnIngest(env(1)), await spawnIngest(env(2)));
    publisher = await connectPublisher(`mqtt://127.0.0.1:${mosquitto.port}`, `pub-${run}`);
    const devices = Array.from({ length: DEVICES }, (_, i) => `d${run}-${i}`);
    await publishAll(publisher, devices.map((d) => publication(run, d, 'status', birth(d))), true);
    await waitFor(async () => (await count(db, 'select count(*) n from devices where id like $1', [`d${run}-%`])) === DEVICES, { timeoutMs: 30_000, what: 'devices registered' });

    for (let start = 0; start < TOTAL; start += 500) {
      await publishAll(publisher, Array.from({ length: 500 }, (_, i) => {
        const device = devices[(start + i) % DEVICES]!;
        return publication(run, device, 'event', event(device, { trackId: start + i }));
      }));
    }
    await waitFor(async () => (await count(db, 'select count(*) n from events where device_id like $1', [`d${run}-%`])) >= TOTAL, { timeoutMs: 120_000, what: `${TOTAL} rows`, intervalMs: 100 });

    const rows = (await db.query<{ n: number; ids: number }>('select count(*)::int n, count(distinct id)::int ids from events where device_id like $1', [`d${run}-%`])).rows[0];
    expect(rows).toEqual({ n: TOTAL, ids: TOTAL });
    const shares = await Promise.all(workers.map(storedBy));
    process.stderr.write(`[scale-out] stored per worker (events + births): ${shares.join(', ')}\n`);
    expect(shares[0]! + shares[1]!).toBe(TOTAL + DEVICES);
    for (const share of shares) expect(share).toBeGreaterThan(TOTAL / 10);
  });
});
