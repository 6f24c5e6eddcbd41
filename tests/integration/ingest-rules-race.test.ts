import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { createIngest, type Ingest } from '@streetwise/ingest';
import { waitFor } from '@streetwise/testing';
import { startPrivateMosquitto, type PrivateMosquitto } from '../src/ingest/brokers.js';
import { connectPublisher, count, publishAll, testLogger } from '../src/ingest/fixtures.js';
import { birth, event, publication } from '../src/ingest/messages.js';
import { createPlainPostgresDatabase, type PlainPostgresDatabase } from '../src/ingest/plain-postgres.js';
import { runId } from '../src/ingest/wait.js';

/**
 * Two ingest workers share one MQTT 5 subscription and one database (the machine's PostgreSQL server), so
 * the safety events of one device reach both and both workers' incident steps run at once, as often as
 * batches come. A step takes the rules' advisory lock with its transaction's BEGIN and reads the queue and
 * the open incidents after it: one worker's decision is visible to the other's. Every device's events, all
 * within one intrusion window, must then make exactly ONE incident holding all of them. (With the lock
 * statement replaced by `SELECT 1` this failed in 2 of 3 runs; ingest-incident-queue.test.ts shows the
 * lock's part deterministically, by holding it.)
 */
const DEVICES = 6;
const ROUNDS = 40;
const PER_ROUND = 30;

describe('two ingest workers deciding incidents at once', () => {
  let pg: PlainPostgresDatabase;
  let mosquitto: PrivateMosquitto;
  const workers: Ingest[] = [];
  let publisher: MqttClient | undefined;

  beforeAll(async () => {
    [pg, mosquitto] = await Promise.all([createPlainPostgresDatabase('rules_race'), startPrivateMosquitto()]);
  });
  afterAll(async () => {
    for (const w of workers) await w.stop({ endSessions: true });
    await publisher?.endAsync(true);
    await mosquitto?.stop();
    await pg?.drop();
  });

  it(`makes one incident per device from ${ROUNDS * PER_ROUND} intrusions split over both workers`, async () => {
    const run = runId('r');
    const url = `mqtt://127.0.0.1:${mosquitto.port}`;
    for (const k of [1, 2]) {
      const ingest = createIngest({
        db: pg.db,
        transport: { kind: 'mqtt', url, connections: 4, group: `g${run}`, clientIdPrefix: `i${run}-${k}`, sessionExpirySeconds: 60 },
        prefix: run,
        logger: testLogger(),
        // Steps as often as batches come, so both workers' steps overlap as much as they can.
        incidentIntervalMs: 0,
      });
      await ingest.start();
      workers.push(ingest);
    }
    publisher = await connectPublisher(url, `pub-${run}`);
    const devices = Array.from({ length: DEVICES }, (_, i) => `d${run}-${i}`);
    await publishAll(publisher, devices.map((d) => publication(run, d, 'status', birth(d))));
    await waitFor(async () => (await count(pg.db, 'select count(*) n from devices where id = any($1)', [devices])) === DEVICES, { timeoutMs: 30_000, what: 'devices registered' });

    // Both workers' batches carry intrusions of every device in every round.
    const start = Date.now() - 60_000;
    for (let r = 0; r < ROUNDS; r++) {
      await publishAll(publisher, Array.from({ length: PER_ROUND }, (_, i) => {
        const device = devices[i % DEVICES]!;
        return publication(run, device, 'event', event(device, { type: 'intrusion', severity: 'high', trackId: r * PER_ROUND + i }, start + r * 100 + i));
      }));
    }
    const total = ROUNDS * PER_ROUND;
    await waitFor(async () => (await count(pg.db, 'select count(*) n from events where device_id = any($1)', [devices])) === total, { timeoutMs: 60_000, what: 'every event stored' });
    // Both workers took part (else this proves nothing about racing them).
    const stored = await Promise.all(workers.map(async (w) => Number(/streetwise_ingest_messages_total\{result="stored"\} (\d+)/.exec(await w.registry.metrics())?.[1] ?? 0)));
    expect(Math.min(...stored)).toBeGreaterThan(total / 10);

    await waitFor(async () => (await count(pg.db, 'select count(*) n from incident_queue where device_id = any($1)', [devices])) === 0 || undefined, { timeoutMs: 30_000, what: 'the incident queue empty' });
    await waitFor(async () => (await count(pg.db, 'select coalesce(sum(event_count), 0) n from incidents where device_id = any($1)', [devices])) >= total || undefined, { timeoutMs: 30_000, what: 'every event in an incident' });
    const { rows } = await pg.db.query<{ device_id: string; n: number; events: number }>(
      `select device_id, count(*)::int as n, sum(event_count)::int as events from incidents where device_id = any($1) and type = 'intrusion' group by device_id order by device_id`,
      [devices],
    );
    expect(rows).toEqual(devices.map((d) => ({ device_id: d, n: 1, events: total / DEVICES })).sort((a, b) => a.device_id.localeCompare(b.device_id)));
    // The log agrees: one "opened" and an "event" row for every event.
    const log = await pg.db.query<{ action: string; n: number }>(
      `select l.action, count(*)::int as n from incident_log l join incidents i on i.id = l.incident_id where i.device_id = any($1) group by l.action order by l.action`,
      [devices],
    );
    expect(log.rows).toEqual([{ action: 'event', n: total - DEVICES }, { action: 'opened', n: DEVICES }]);
  }, 120_000);
});
