import { describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { createIngest } from '@streetwise/ingest';
import { aedesBroker } from '../src/ingest/brokers.js';
import { connectPublisher, count, embeddedDb, publishAll, testLogger } from '../src/ingest/fixtures.js';
import { birth, event, publication } from '../src/ingest/messages.js';
import { waitFor } from '@streetwise/testing';
import { runId } from '../src/ingest/wait.js';
import { defineIngestSuite } from './ingest-suite.js';

// The embedded stack: aedes in-process (PUBACK held in authorizePublish until the commit) + embedded DB.
defineIngestSuite('the embedded aedes broker', aedesBroker, { knowsPublisher: true });

describe('ingest over MQTT against a broker without MQTT 5 (aedes on its TCP port)', () => {
  it('falls back to one MQTT 3.1.1 connection with a plain persistent subscription, and stores what it gets', async () => {
    const db = await embeddedDb();
    const broker = await aedesBroker(db);
    const run = runId('fb');
    const device = `cam-${run}`;
    const login = await broker.login(`ing-${run}`, 'ingest');
    const ingest = createIngest({ db, transport: { kind: 'mqtt', url: broker.url, connections: 4, clientIdPrefix: `ing-${run}`, username: String(login.username), password: String(login.password) }, prefix: run, logger: testLogger(), registry: new Registry() });
    try {
      await ingest.start();
      expect(ingest.health().broker).toEqual({ status: 'up', detail: 'plain-v311, 1 connections' });
      const client = await connectPublisher(broker.url, device, await broker.login(device));
      await publishAll(client, [publication(run, device, 'status', birth(device))]);
      await waitFor(async () => (await count(db, 'select count(*) n from devices where id = $1', [device])) === 1, { timeoutMs: 30_000, what: 'birth' });
      await publishAll(client, Array.from({ length: 20 }, () => publication(run, device, 'event', event(device))));
      await waitFor(async () => (await count(db, 'select count(*) n from events where device_id = $1', [device])) === 20, { timeoutMs: 30_000, what: '20 events' });
      await client.endAsync();
    } finally {
      await ingest.stop();
      await broker.close();
      await db.close();
    }
  });
});
