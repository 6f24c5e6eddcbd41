import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { Registry } from 'prom-client';
import type { EmbeddedDatabase } from '@streetwise/db';
import { createIngest, type Ingest } from '@streetwise/ingest';
import { aedesBroker, mosquittoBroker, type BrokerFactory, type BrokerUnderTest } from '../src/ingest/brokers.js';
import { connectPublisher, count, embeddedDb, publishAll, testLogger } from '../src/ingest/fixtures.js';
import { birth, event, hostileInputs, publication, type HostileInput, type Publication } from '../src/ingest/messages.js';
import { waitFor } from '@streetwise/testing';
import { runId } from '../src/ingest/wait.js';

const run$ = promisify(execFile);

/** Inputs a broker that checks credentials refuses before ingest: a device writing under another id, or writing a downlink. */
const BROKER_REFUSES = ['another client publishes for the device', 'invalid device id in topic', 'an event on a config topic', 'a well-formed config published by a device'];

/**
 * Hostile input: every bad message is dead-lettered with the right reason, the good messages around
 * them are all stored, and ingest stays up — from MQTT.js publishers and from the real mosquitto_pub.
 */
function defineHostileSuite(label: string, makeBroker: BrokerFactory, knowsPublisher: boolean): void {
  describe(`hostile input on ${label}`, () => {
    let db: EmbeddedDatabase;
    let broker: BrokerUnderTest;
    beforeAll(async () => {
      db = await embeddedDb();
      broker = await makeBroker(db);
    });
    afterAll(async () => {
      await broker?.close();
      await db?.close();
    });

    /** With credentials checked, the broker itself refuses these (tests/integration/identity-aedes.test.ts): they never reach ingest. */
    const refusedByBroker = (input: HostileInput): boolean => broker.authenticates && BROKER_REFUSES.includes(input.label);

    async function setUp(run: string): Promise<{ ingest: Ingest; device: string; other: string; unknown: string; clients: Map<string, MqttClient> }> {
      const ingest = createIngest({ db, transport: broker.transport(run), prefix: run, unknownDeviceGraceMs: 300, logger: testLogger(), registry: new Registry() });
      await ingest.start();
      const [device, other, unknown] = [`cam-${run}`, `oth-${run}`, `unk-${run}`];
      const clients = new Map<string, MqttClient>();
      for (const id of [device, other, unknown]) clients.set(id, await connectPublisher(broker.url, id, await broker.login(id)));
      for (const id of [device, other]) await publishAll(clients.get(id)!, [publication(run, id, 'status', birth(id))], true);
      await waitFor(async () => (await count(db, 'select count(*) n from devices where id in ($1, $2)', [device, other])) === 2, { timeoutMs: 30_000, what: 'devices registered' });
      return { ingest, device, other, unknown, clients };
    }

    async function expectDeadLetters(run: string, bad: HostileInput[], goodIds: string[], device: string, ingest: Ingest): Promise<void> {
      const rows = await waitFor(async () => {
        const r = (await db.query<{ topic: string; payload: Buffer; reason_code: string; reason: string; client_id: string | null; received_at: Date }>(
          `select topic, payload, reason_code, reason, client_id, received_at from dead_letters where topic like $1`, [`${run}/%`])).rows;
        return r.length >= bad.length ? r : undefined;
      }, { timeoutMs: 60_000, what: `${bad.length} dead letters` });
      const key = (topic: string, payload: Buffer, code: string): string => `${code} ${topic} ${payload.toString('hex')}`;
      expect(rows.map((r) => key(r.topic, r.payload, r.reason_code)).sort()).toEqual(bad.map((b) => key(b.topic, b.payload, b.code)).sort());
      for (const row of rows) {
        expect(row.reason.length, `reason for ${row.reason_code}`).toBeGreaterThan(5);
        expect(row.received_at).toBeInstanceOf(Date);
        if (knowsPublisher) expect(row.client_id).not.toBeNull();
      }
      await waitFor(async () => (await count(db, 'select count(*) n from events where id = any($1::uuid[])', [goodIds])) === goodIds.length, { timeoutMs: 30_000, what: 'every good message stored' });
      expect(await count(db, 'select count(*) n from events where device_id = $1', [device])).toBe(goodIds.length);
      expect(ingest.health().ingest).toMatchObject({ status: 'up', state: 'running' });
    }

    it('dead-letters each of at least 50 bad inputs with its reason, and stores every good message around them', async () => {
      const run = runId('h');
      const { ingest, device, other, unknown, clients } = await setUp(run);
      try {
        const bad = hostileInputs({ prefix: run, device, other, unknown, knowsPublisher }).filter((b) => !refusedByBroker(b));
        expect(bad.length).toBeGreaterThanOrEqual(50);
        const goodIds: string[] = [];
        const sends: Array<Promise<void>> = [];
        for (const input of bad) {
          const good = event(device);
          goodIds.push(good.id);
          // not awaited one by one: bad and good messages travel together in batches
          sends.push(publishAll(clients.get(input.clientId)!, [input]), publishAll(clients.get(device)!, [publication(run, device, 'event', good)]));
        }
        await Promise.all(sends);
        await expectDeadLetters(run, bad, goodIds, device, ingest);
        expect(await ingest.registry.metrics()).toContain(`streetwise_ingest_messages_total{result="dead_letter"} ${bad.length}`);
      } finally {
        for (const client of clients.values()) await client.endAsync(true);
        await ingest.stop({ endSessions: true });
      }
    });

    it('does the same for messages sent by the mosquitto_pub binary', async () => {
      const run = runId('p');
      const { ingest, device, other, unknown, clients } = await setUp(run);
      const dir = mkdtempSync(join(tmpdir(), 'sw-hostile-'));
      try {
        const all = hostileInputs({ prefix: run, device, other, unknown, knowsPublisher });
        const wanted = ['empty payload', 'binary garbage', 'NaN as text', 'truncated JSON', '__proto__ key at the top', 'nesting 60 deep', 'oversize (70 KiB)',
          'spoofed device id: payload names another device', 'ts far in the future', 'unknown event type', 'an event on a config topic', 'event from a device nobody registered',
          ...(knowsPublisher ? ['another client publishes for the device'] : [])];
        const bad = all.filter((b) => wanted.includes(b.label) && !refusedByBroker(b));
        expect(bad.length).toBe(wanted.filter((label) => !BROKER_REFUSES.includes(label) || !broker.authenticates).length);
        const goodIds: string[] = [];
        const logins = new Map<string, string[]>();
        for (const id of [device, other, unknown]) {
          const login = await broker.login(id);
          logins.set(id, login.username ? ['-u', login.username, '-P', String(login.password)] : []);
        }
        const pub = async (p: Publication, clientId: string): Promise<void> => {
          const file = join(dir, `${goodIds.length}-${Math.random().toString(36).slice(2)}.bin`);
          writeFileSync(file, p.payload);
          const payloadArgs = p.payload.length === 0 ? ['-n'] : ['-f', file];
          await run$('mosquitto_pub', ['-h', broker.host, '-p', String(broker.port), '-V', 'mqttv311', '-q', '1', '-i', clientId, ...(logins.get(clientId) ?? []), '-t', p.topic, ...payloadArgs]);
        };
        for (const input of bad) {
          await pub(input, input.clientId);
          const good = event(device);
          goodIds.push(good.id);
          await pub(publication(run, device, 'event', good), device);
        }
        await expectDeadLetters(run, bad, goodIds, device, ingest);
      } finally {
        rmSync(dir, { recursive: true, force: true });
        for (const client of clients.values()) await client.endAsync(true);
        await ingest.stop({ endSessions: true });
      }
    });
  });
}

defineHostileSuite('the embedded aedes broker', aedesBroker, true);
defineHostileSuite('the machine\'s Mosquitto', mosquittoBroker(1883, 8), false);
