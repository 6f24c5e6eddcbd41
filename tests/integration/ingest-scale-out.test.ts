import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { startPrivateMosquitto, type PrivateMosquitto } from '../src/ingest/brokers.js';
import { faultReport, settles } from '../src/ingest/fault-report.js';
import { connectPublisher, count, publishAll } from '../src/ingest/fixtures.js';
import { runDrain, spawnIngest, type IngestProcess } from '../src/ingest/ingest-process.js';
import { birth, event, publication } from '../src/ingest/messages.js';
import { createPlainPostgresDatabase, type PlainPostgresDatabase } from '../src/ingest/plain-postgres.js';
import { waitFor } from '@streetwise/testing';
import { runId } from '../src/ingest/wait.js';

/**
 * Scale-out: two ingest processes in one MQTT 5 shared-subscription group on the machine's mosquitto
 * binary (a private config: unlimited session queues and in-flight window) write to one database on the
 * machine's PostgreSQL server (a throw-away database; ingest's tables without TimescaleDB). Both take a
 * share; then one is SIGKILLed for good while the publisher keeps going. Mosquitto keeps routing the dead
 * member's share into its persistent sessions, so those messages wait there: the drain program takes
 * over the dead worker's client ids, stores the queue and ends the sessions. Every event is then exactly
 * one row, and the stream after the drain goes to the survivor alone.
 */
const TOTAL = 6_000;
const AFTER_DRAIN = 500;
const DEVICES = 10;
const CONNECTIONS = 4;

async function storedBy(worker: IngestProcess): Promise<number> {
  const text = await (await fetch(`${worker.opsUrl}/metrics`)).text();
  return Number(/streetwise_ingest_messages_total\{result="stored"\} (\d+)/.exec(text)?.[1] ?? 0);
}

describe('two ingest workers on one shared subscription, one killed for good', () => {
  let pg: PlainPostgresDatabase;
  let mosquitto: PrivateMosquitto;
  const workers: IngestProcess[] = [];
  let publisher: MqttClient | undefined;

  beforeAll(async () => {
    [pg, mosquitto] = await Promise.all([createPlainPostgresDatabase('scale_out'), startPrivateMosquitto()]);
  });
  afterAll(async () => {
    for (const w of workers) await w.kill('SIGKILL');
    await publisher?.endAsync(true);
    await mosquitto?.stop();
    await pg?.drop();
  });

  it(`stores ${TOTAL} events once each: the dead worker's queued share through the drain`, async () => {
    const run = runId('s');
    const deviceLike = `d${run}-%`;
    const env = (worker: number) => ({
      MQTT_URL: `mqtt://127.0.0.1:${mosquitto.port}`,
      DATABASE_URL: pg.url,
      DB_REQUIRE_TIMESCALE: 'false',
      INGEST_MIGRATE: 'false',
      INGEST_CONNECTIONS: String(CONNECTIONS),
      INGEST_CLIENT_ID: `ing-${run}-${worker}`,
      INGEST_GROUP: `g${run}`,
      INGEST_SESSION_EXPIRY_S: '3600',
      TOPIC_PREFIX: run,
    });
    workers.push(await spawnIngest(env(1)), await spawnIngest(env(2)));
    const [survivor, doomed] = workers as [IngestProcess, IngestProcess];
    publisher = await connectPublisher(`mqtt://127.0.0.1:${mosquitto.port}`, `pub-${run}`);
    const devices = Array.from({ length: DEVICES }, (_, i) => `d${run}-${i}`);
    await publishAll(publisher, devices.map((d) => publication(run, d, 'status', birth(d))), true);
    await waitFor(async () => (await count(pg.db, 'select count(*) n from devices where id like $1', [deviceLike])) === DEVICES, { timeoutMs: 30_000, what: 'devices registered' });

    // A steady 1,000 events/s (250 every 250 ms), so the kill falls while messages are arriving.
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

    await waitFor(() => ids.length >= TOTAL * 0.4, { timeoutMs: 60_000, what: '40 % published', intervalMs: 5 });
    await waitFor(async () => (await storedBy(doomed)) > DEVICES, { timeoutMs: 60_000, what: 'events stored by the worker about to die', intervalMs: 20 });
    const storedBeforeKill = [await storedBy(survivor), await storedBy(doomed)];
    await doomed.kill('SIGKILL');
    const publishedAtKill = ids.length;
    expect(publishedAtKill, 'the publisher was still publishing at the kill').toBeLessThan(TOTAL);
    await publishing;

    // The survivor stores its share and then nothing more: the rest waits in the dead worker's sessions.
    const rows = (): Promise<number> => count(pg.db, 'select count(*) n from events where device_id like $1', [deviceLike]);
    await waitFor(settles(rows, 1_500), { timeoutMs: 60_000, what: 'the survivor idle', intervalMs: 100 });
    const rowsBeforeDrain = await rows();
    expect(rowsBeforeDrain, 'messages queued for the dead member').toBeLessThan(TOTAL);

    const drain = await runDrain({ ...env(2), DRAIN_IDLE_MS: '1000', DRAIN_TIMEOUT_S: '60' });
    expect(drain.code, drain.stderr).toBe(0);
    expect(drain.report).toMatchObject({ outcome: 'drained', sessionsFound: CONNECTIONS, sessionsEnded: true });
    expect(drain.report!.messages.stored).toBe(TOTAL - rowsBeforeDrain);
    expect(drain.report!.messages.deadLetter).toBe(0);

    const report = await faultReport(pg.db, 'two workers, one SIGKILLed for good, its share drained', ids, deviceLike);
    expect(report).toMatchObject({ eventsSent: TOTAL, rowsStored: TOTAL, duplicates: 0, lost: 0 });
    process.stderr.write(
      `[scale-out] stored before the kill (births + events): ${storedBeforeKill.join(', ')}; killed at ${publishedAtKill} published; ` +
        `${rowsBeforeDrain} rows before the drain; drain stored ${drain.report!.messages.stored} (${drain.report!.messages.duplicate} redelivered duplicates) ` +
        `in ${drain.report!.busySeconds} s of work, ${(drain.wallMs / 1000).toFixed(2)} s for the whole program\n`,
    );

    // The drain ended the dead sessions: the survivor alone now takes the whole stream.
    const survivorBefore = await storedBy(survivor);
    const after = Array.from({ length: AFTER_DRAIN }, (_, i) => event(devices[i % DEVICES]!, { trackId: TOTAL + i }));
    await publishAll(publisher, after.map((m) => publication(run, m.deviceId, 'event', m)));
    await waitFor(async () => (await rows()) >= TOTAL + AFTER_DRAIN, { timeoutMs: 30_000, what: 'the events after the drain', intervalMs: 100 });
    expect(await storedBy(survivor)).toBe(survivorBefore + AFTER_DRAIN);
    expect(await count(pg.db, 'select count(*) n from dead_letters where topic like $1', [`${run}/%`])).toBe(0);
    // And the broker no longer holds them: a second drain finds nothing to take.
    const again = await runDrain({ ...env(2), DRAIN_IDLE_MS: '300', DRAIN_TIMEOUT_S: '60' });
    expect(again.report).toMatchObject({ outcome: 'drained', sessionsFound: 0, messages: { stored: 0, duplicate: 0 } });
  });
});
