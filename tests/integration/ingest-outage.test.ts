import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { createServerDatabase, type EmbeddedDatabase } from '@streetwise/db';
import { createIngest } from '@streetwise/ingest';
import { aedesBroker, mosquittoBroker, type BrokerFactory } from '../src/ingest/brokers.js';
import { connectPublisher, count, embeddedDb, publishAll, testLogger } from '../src/ingest/fixtures.js';
import { birth, event, publication } from '../src/ingest/messages.js';
import { waitFor } from '@streetwise/testing';
import { runId } from '../src/ingest/wait.js';

/**
 * A real database outage: ingest talks to the embedded database over its wire port (pg.Pool, as it
 * would to a server); the test shuts that database down completely mid-stream and starts it again
 * from the same data directory on the same port. Nothing may be lost, nothing acked while it is down.
 */
function defineOutageTest(label: string, makeBroker: BrokerFactory, pubackHeldByIngest: boolean): void {
  describe(`database outage under ingest on ${label}`, () => {
    it('holds acks while the database is down, keeps a bounded buffer, and stores everything once it is back', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'sw-outage-'));
      const run = runId('o');
      const device = `cam-${run}`;
      let db: EmbeddedDatabase = await embeddedDb({ dataDir, wirePort: 0 });
      const port = db.wirePort!;
      const server = await createServerDatabase({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres`, max: 1, logger: testLogger() });
      const broker = await makeBroker();
      const ingest = createIngest({ db: server, transport: broker.transport(run), prefix: run, batch: { retryInitialMs: 50, retryMaxMs: 500 }, logger: testLogger(), registry: new Registry() });
      try {
        await ingest.start();
        const client = await connectPublisher(broker.url, device);
        await publishAll(client, [publication(run, device, 'status', birth(device))], true);
        const before = Array.from({ length: 300 }, () => publication(run, device, 'event', event(device)));
        await publishAll(client, before);
        await waitFor(async () => (await count(db, 'select count(*) n from events where device_id = $1', [device])) === 300, { timeoutMs: 30_000, what: '300 events before the outage' });

        await db.close(); // the whole database goes away, wire server included
        const during = Array.from({ length: 1_000 }, () => publication(run, device, 'event', event(device)));
        let acked = 0;
        const sending = Promise.all(during.map((p) => client.publishAsync(p.topic, p.payload, { qos: 1 }).then(() => void (acked += 1))));
        await waitFor(() => ingest.health().database.status === 'down' && ingest.health().ingest.buffered > 0, { timeoutMs: 30_000, what: 'ingest sees the database down' });
        const health = ingest.health();
        expect(health.ingest).toMatchObject({ status: 'degraded', writer: 'retrying' });
        expect(health.ingest.detail).toContain('database down, acks held');
        if (pubackHeldByIngest) {
          // aedes waits for ingest before each PUBACK, and reads a device's next packets only when
          // the current read's are answered: the buffer stays bounded, the publisher is held back.
          await waitFor(async () => /commit_failures_total\{kind="unavailable"\} [3-9]/.test(await ingest.registry.metrics()), { timeoutMs: 30_000, what: 'a few retries' });
          expect(acked).toBe(0);
          expect(ingest.health().ingest.buffered).toBeLessThan(during.length);
        }

        db = await embeddedDb({ dataDir, wirePort: port }); // back: same files, same port (migrations find nothing to do)
        await sending;
        await waitFor(async () => (await count(db, 'select count(*) n from events where device_id = $1', [device])) === 1_300, { timeoutMs: 60_000, what: 'all 1,300 events after the outage' });
        const ids = new Set((await db.query<{ id: string }>('select id from events where device_id = $1', [device])).rows.map((r) => r.id));
        expect([...before, ...during].filter((p) => !ids.has((JSON.parse(p.payload.toString()) as { id: string }).id))).toEqual([]);
        await waitFor(() => ingest.health().database.status === 'up' && ingest.health().ingest.status === 'up', { timeoutMs: 30_000, what: 'health up again' });
        expect(await count(db, 'select count(*) n from dead_letters where topic like $1', [`${run}/%`])).toBe(0);
        await client.endAsync();
      } finally {
        await ingest.stop({ endSessions: true });
        await broker.close();
        await server.close();
        await db.close();
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });
}

defineOutageTest('the embedded aedes broker', aedesBroker, true);
defineOutageTest('the machine\'s Mosquitto', mosquittoBroker(1883, 8), false);
