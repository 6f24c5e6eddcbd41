import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { Registry } from 'prom-client';
import { createIngest, type Ingest } from '@streetwise/ingest';
import { NOTIFY_CHANNELS, type EmbeddedDatabase } from '@streetwise/db';
import { parseIncidentNotification, type IncidentMessage } from '@streetwise/incidents';
import { encodeMessage, makeMessage, deviceTopic } from '@streetwise/protocol';
import { waitFor } from '@streetwise/testing';
import { aedesBroker, type BrokerUnderTest } from '../src/ingest/brokers.js';
import { connectPublisher, count, embeddedDb, publishAll, testLogger } from '../src/ingest/fixtures.js';
import { birth, publication } from '../src/ingest/messages.js';
import { runId } from '../src/ingest/wait.js';

/**
 * A key site that goes offline opens a device_offline incident, once, in the statement that commits its
 * offline status. Two ingest workers on aedes over MQTT 3.1.1 (plain subscriptions: each worker gets
 * every message, so both commit every last will) must still open it once.
 */
describe('ingest: a key site that goes offline raises an incident of its own', () => {
  let db: EmbeddedDatabase;
  let broker: BrokerUnderTest;
  const run = runId('ks');
  const workers: Ingest[] = [];
  const opened: IncidentMessage[] = [];
  const busIncidents: IncidentMessage[] = [];
  let stopListening: () => Promise<void>;

  const offline = (deviceId: string) => makeMessage('status', { deviceId, state: 'offline' });
  const stateOf = async (deviceId: string): Promise<string | undefined> => (await db.query<{ state: string }>('select state from devices where id = $1', [deviceId])).rows[0]?.state;
  const incidentsOf = (deviceId: string): Promise<number> => count(db, `select count(*) n from incidents where device_id = $1 and type = 'device_offline'`, [deviceId]);
  /** A device that says goodbye with a last will when its connection drops, registered and online. */
  async function connectDevice(deviceId: string): Promise<MqttClient> {
    const will = { topic: deviceTopic(deviceId, 'status', run), payload: encodeMessage(offline(deviceId)), qos: 1 as const, retain: true };
    const client = await connectPublisher(broker.url, deviceId, { will });
    await publishAll(client, [publication(run, deviceId, 'status', birth(deviceId, { healthIntervalS: 30 }))], true);
    await waitFor(async () => ((await stateOf(deviceId)) === 'online' ? true : undefined), { timeoutMs: 30_000, what: `${deviceId} online` });
    return client;
  }
  /** Both workers have taken every status message published so far (each counts its own). */
  async function bothWorkersSaw(statusMessages: number): Promise<void> {
    await waitFor(async () => {
      const counts = await Promise.all(workers.map(async (w) => (await w.registry.getSingleMetric('streetwise_ingest_messages_total')?.get())?.values.reduce((s, v) => s + v.value, 0) ?? 0));
      return counts.every((n) => n >= statusMessages) ? counts : undefined;
    }, { timeoutMs: 30_000, what: `both workers took ${statusMessages} messages` });
  }

  beforeAll(async () => {
    db = await embeddedDb();
    broker = await aedesBroker();
    stopListening = await db.listen(NOTIFY_CHANNELS.incidents, (payload) => {
      const message = parseIncidentNotification(payload);
      if (message && !('cut' in message)) opened.push(message);
    });
    for (const n of [1, 2]) {
      const ingest = createIngest({ db, transport: { kind: 'mqtt', url: broker.url, connections: 1, clientIdPrefix: `ing-${run}-${n}` }, prefix: run, logger: testLogger(), registry: new Registry() });
      ingest.bus.on('incidents', (list) => busIncidents.push(...list));
      await ingest.start();
      workers.push(ingest);
    }
  });
  afterAll(async () => {
    for (const w of workers) await w.stop();
    await stopListening?.();
    await broker?.close();
    await db?.close();
  });

  it('opens one device_offline incident when the key site\'s last will arrives, and none for other devices', async () => {
    const site = `ks-${run}`;
    const plain = `pl-${run}`;
    const siteClient = await connectDevice(site);
    const plainClient = await connectDevice(plain);
    await db.query('update devices set key_site = true where id = $1', [site]);

    // Power cut: the broker sends their last wills.
    siteClient.stream.destroy();
    plainClient.stream.destroy();
    await waitFor(async () => ((await stateOf(site)) === 'offline' && (await stateOf(plain)) === 'offline' ? true : undefined), { timeoutMs: 30_000, what: 'both offline' });
    await waitFor(async () => ((await incidentsOf(site)) === 1 ? true : undefined), { timeoutMs: 30_000, what: 'the incident' });
    await bothWorkersSaw(4);

    expect(await incidentsOf(site)).toBe(1);
    expect(await incidentsOf(plain)).toBe(0);
    const { rows } = await db.query<{ severity: string; status: string; district: string; lat: number; actor: string; actor_kind: string; action: string }>(
      `select i.severity, i.status, i.district, i.lat, l.actor, l.actor_kind, l.action from incidents i join incident_log l on l.incident_id = i.id where i.device_id = $1`,
      [site],
    );
    expect(rows).toEqual([{ severity: 'high', status: 'open', district: 'A', lat: 22.2819, actor: 'ingest', actor_kind: 'system', action: 'opened' }]);
    await waitFor(() => (opened.length >= 1 ? true : undefined), { timeoutMs: 10_000, what: 'its sw_incidents message' });
    expect(opened.map((m) => [m.action, m.incident.type, m.incident.deviceId, m.incident.version, m.actor])).toEqual([['opened', 'device_offline', site, 1, { kind: 'system', id: 'ingest' }]]);
    expect(busIncidents.map((m) => m.incident.id)).toEqual([opened[0]!.incident.id]);
  });

  it('opens no second one while the first is open, and a new one after an operator resolved it', async () => {
    const site = `ks2-${run}`;
    const client = await connectDevice(site);
    await db.query('update devices set key_site = true where id = $1', [site]);
    const goOffline = async (): Promise<void> => {
      // A clean shutdown: the retained offline status, sent twice (a redelivery changes nothing).
      const bye = offline(site);
      await publishAll(client, [publication(run, site, 'status', bye), publication(run, site, 'status', bye)], true);
      await waitFor(async () => ((await stateOf(site)) === 'offline' ? true : undefined), { timeoutMs: 30_000, what: `${site} offline` });
    };
    const comeBack = async (): Promise<void> => {
      await publishAll(client, [publication(run, site, 'status', birth(site))], true);
      await waitFor(async () => ((await stateOf(site)) === 'online' ? true : undefined), { timeoutMs: 30_000, what: `${site} online` });
    };
    await goOffline();
    await waitFor(async () => ((await incidentsOf(site)) === 1 ? true : undefined), { timeoutMs: 30_000, what: 'the first incident' });
    await comeBack();
    await goOffline();
    await comeBack();
    expect(await incidentsOf(site)).toBe(1);

    await db.query(`update incidents set status = 'resolved', resolved_at = now() where device_id = $1`, [site]);
    await goOffline();
    await waitFor(async () => ((await incidentsOf(site)) === 2 ? true : undefined), { timeoutMs: 30_000, what: 'a second incident after the first was resolved' });
    await client.endAsync(true);
  });
});
