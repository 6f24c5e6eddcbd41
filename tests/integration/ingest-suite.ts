import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { Registry } from 'prom-client';
import type { EmbeddedDatabase } from '@streetwise/db';
import { createIngest, type Ingest, type IngestOptions } from '@streetwise/ingest';
import { deviceTopic, encodeMessage, makeMessage } from '@streetwise/protocol';
import type { BrokerFactory, BrokerUnderTest } from '../src/ingest/brokers.js';
import { connectPublisher, count, embeddedDb, publishAll, testLogger } from '../src/ingest/fixtures.js';
import { birth, event, HK, publication } from '../src/ingest/messages.js';
import { waitFor } from '@streetwise/testing';
import { runId } from '../src/ingest/wait.js';

/**
 * Ingest's behaviour, written once as a function of a broker factory (MQTT.js abstract_store style)
 * and run against the embedded aedes and against the machine's Mosquitto, each with the embedded DB.
 * Every test has its own topic prefix, device ids and ingest; the database is shared per file.
 */
export function defineIngestSuite(label: string, makeBroker: BrokerFactory, features: { knowsPublisher: boolean }): void {
  describe(`ingest on ${label}`, () => {
    let db: EmbeddedDatabase;
    let broker: BrokerUnderTest;
    const cleanups: Array<() => Promise<unknown>> = [];

    beforeAll(async () => {
      db = await embeddedDb();
      broker = await makeBroker(db);
    });
    afterAll(async () => {
      await broker?.close();
      await db?.close();
    });
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });

    async function startIngest(run: string, options: Partial<IngestOptions> = {}): Promise<Ingest> {
      const ingest = createIngest({ db, transport: broker.transport(run), prefix: run, logger: testLogger(), registry: new Registry(), ...options });
      await ingest.start();
      cleanups.push(() => ingest.stop({ endSessions: true }));
      return ingest;
    }
    async function publisher(clientId: string, options = {}): Promise<MqttClient> {
      const client = await connectPublisher(broker.url, clientId, { ...(await broker.login(clientId)), ...options });
      cleanups.push(() => client.endAsync(true));
      return client;
    }
    async function register(run: string, client: MqttClient, deviceId: string): Promise<void> {
      await publishAll(client, [publication(run, deviceId, 'status', birth(deviceId))], true);
      await waitFor(async () => (await count(db, 'select count(*) n from devices where id = $1', [deviceId])) === 1, { timeoutMs: 30_000, what: `device ${deviceId} registered` });
    }

    it('registers a device from its birth and stores its event, telemetry and health, column by column, then tells listeners', async () => {
      const run = runId('a');
      const device = `cam-${run}`;
      const ingest = await startIngest(run);
      const notified: Record<string, string[]> = { sw_events: [], sw_devices: [] };
      for (const channel of Object.keys(notified)) {
        const stop = await db.listen(channel, (payload) => notified[channel]!.push(payload));
        cleanups.push(stop);
      }
      const busEvents: string[] = [];
      ingest.bus.on('events', (events) => busEvents.push(...events.map((e) => e.id)));
      const client = await publisher(device);
      await register(run, client, device);

      const ev = event(device, { type: 'line_crossing', severity: 'low', class: 'car', trackId: 17, confidence: 0.875, rule: 'stop-line', direction: 'northbound', speedKmh: 42.5, count: 1, durationS: 0.5, modelVersion: 'yolov8n-1', attrs: { lane: 2, wet: true, colour: 'red' } });
      const tm = makeMessage('telemetry', { deviceId: device, intervalS: 60, approach: 'north', counts: { car: 12, bus: 2, person: 30 }, speedKmhAvg: 38.5, speedKmhP85: 51, occupancyPct: 12.5, queueLengthM: 40, zoneOccupancy: 3, pm25: 18.5, no2: 40, noiseDba: 68.5, congestionIndex: 0.75 });
      const hl = makeMessage('health', { deviceId: device, uptimeS: 3600.5, fps: 14.5, inferenceMsP50: 31, inferenceMsP95: 48, cpuPct: 85, rssMb: 412, outboxDepth: 3, outboxDropped: 0, models: { detector: 'yolov8n-1' }, configVersion: 4 });
      await publishAll(client, [publication(run, device, 'event', ev), publication(run, device, 'telemetry', tm), publication(run, device, 'health', hl)]);
      await waitFor(async () => (await count(db, `select (select count(*) from events where device_id = $1) + (select count(*) from telemetry where device_id = $1) + (select count(*) from health where device_id = $1) n`, [device])) === 3, { timeoutMs: 30_000, what: 'three rows' });

      const d = (await db.query('select * from devices where id = $1', [device])).rows[0]!;
      expect(d).toMatchObject({ kind: 'camera', name: `Camera ${device}`, district: 'A', road: 'Queen\'s Road Central', lat: HK.lat, lon: HK.lon, capabilities: ['detect', 'count'], models: { detector: 'yolov8n-1' }, firmware: '0.1.0', state: 'online', blocked: false });
      const e = (await db.query('select * from events where id = $1', [ev.id])).rows[0]!;
      expect(e).toMatchObject({ device_id: device, type: 'line_crossing', severity: 'low', class: 'car', track_id: 17, confidence: 0.875, lat: HK.lat, lon: HK.lon, rule: 'stop-line', direction: 'northbound', speed_kmh: 42.5, count: 1, duration_s: 0.5, model_version: 'yolov8n-1', attrs: { lane: 2, wet: true, colour: 'red' }, has_snapshot: false });
      expect((e.time as Date).toISOString()).toBe(ev.ts);
      const t = (await db.query('select * from telemetry where id = $1', [tm.id])).rows[0]!;
      expect(t).toMatchObject({ interval_s: 60, approach: 'north', count_car: 12, count_bus: 2, count_person: 30, count_truck: null, speed_kmh_avg: 38.5, speed_kmh_p85: 51, occupancy_pct: 12.5, queue_length_m: 40, zone_occupancy: 3, pm25: 18.5, no2: 40, noise_dba: 68.5, congestion_index: 0.75 });
      const h = (await db.query('select * from health where id = $1', [hl.id])).rows[0]!;
      expect(h).toMatchObject({ uptime_s: 3600.5, fps: 14.5, inference_ms_p50: 31, inference_ms_p95: 48, cpu_pct: 85, rss_mb: 412, outbox_depth: 3, outbox_dropped: 0, models: { detector: 'yolov8n-1' }, config_version: 4 });

      await waitFor(() => notified.sw_events!.some((p) => p.includes(ev.id)) && busEvents.includes(ev.id), { timeoutMs: 30_000, what: 'NOTIFY sw_events and the bus' });
      const summary = (JSON.parse(notified.sw_events!.find((p) => p.includes(ev.id))!) as { events: unknown[] }).events;
      expect(summary).toContainEqual({ id: ev.id, deviceId: device, type: 'line_crossing', severity: 'low', ts: ev.ts, lat: HK.lat, lon: HK.lon });
      expect(notified.sw_devices!.flatMap((p) => (JSON.parse(p) as { devices: unknown[] }).devices)).toContainEqual({ id: device, state: 'online', registered: true });
      expect(ingest.health()).toMatchObject({ broker: { status: 'up' }, database: { status: 'up' }, ingest: { status: 'up', state: 'running' } });
      const metrics = await ingest.registry.metrics();
      expect(metrics).toMatch(/streetwise_ingest_messages_total\{result="stored"\} 4/);
      expect(metrics).toMatch(/streetwise_ingest_batch_size_count [1-9]/);
      expect(metrics).toMatch(/streetwise_ingest_commit_seconds_count [1-9]/);
    });

    it('stores a redelivered message once and counts the copy as a duplicate', async () => {
      const run = runId('b');
      const device = `cam-${run}`;
      const ingest = await startIngest(run);
      const client = await publisher(device);
      await register(run, client, device);
      const ev = publication(run, device, 'event', event(device));
      await publishAll(client, [ev, ev]);
      await publishAll(client, [ev]);
      await waitFor(async () => /messages_total\{result="duplicate"\} 2/.test(await ingest.registry.metrics()), { timeoutMs: 30_000, what: 'three answers' });
      expect(await count(db, 'select count(*) n from events where device_id = $1', [device])).toBe(1);
      expect(await ingest.registry.metrics()).toMatch(/messages_total\{result="stored"\} 2/); // birth + event
    });

    it('notifies each new event above "info" once and counts the "info" ones, in payloads under 8,000 bytes, nothing for redeliveries', async () => {
      const run = runId('n');
      const device = `cam-${run}-${'x'.repeat(40)}`; // a long id: the biggest summaries
      await startIngest(run);
      const payloads: string[] = [];
      cleanups.push(await db.listen('sw_events', (p) => payloads.push(p)));
      const client = await publisher(device);
      await register(run, client, device);
      const listed = (): string[] => payloads.flatMap((p) => ((JSON.parse(p) as { events?: Array<{ id: string }> }).events ?? []).map((e) => e.id));
      const counted = (): number => payloads.flatMap((p) => (JSON.parse(p) as { counts?: Array<[string, string, number]> }).counts ?? []).filter(([d, t]) => d === device && t === 'detection').reduce((n, [, , k]) => n + k, 0);

      const events = Array.from({ length: 120 }, () => publication(run, device, 'event', event(device, { type: 'line_crossing', severity: 'low', attrs: { note: 'y'.repeat(200) } })));
      await publishAll(client, events);
      await waitFor(() => listed().length >= 120, { timeoutMs: 30_000, what: '120 listed' });
      await publishAll(client, events.slice(0, 10)); // redelivered copies
      await publishAll(client, [publication(run, device, 'event', event(device, { severity: 'low' }))]);
      await waitFor(() => listed().length >= 121, { timeoutMs: 30_000, what: '121 listed' });
      const detections = Array.from({ length: 30 }, () => publication(run, device, 'event', event(device)));
      await publishAll(client, detections);
      await publishAll(client, detections.slice(0, 5)); // redelivered copies
      await waitFor(() => counted() >= 30, { timeoutMs: 30_000, what: '30 counted' });
      await publishAll(client, [publication(run, device, 'event', event(device, { severity: 'low' }))]);
      await waitFor(() => listed().length >= 122, { timeoutMs: 30_000, what: '122 listed' }); // everything before it was notified by now

      expect(new Set(listed()).size).toBe(122);
      expect(listed().length).toBe(122);
      expect(counted()).toBe(30);
      for (const p of payloads) expect(Buffer.byteLength(p)).toBeLessThan(8000);
      expect(await count(db, 'select count(*) n from events where device_id = $1', [device])).toBe(152);
    });

    it('marks a device offline from its last will', async () => {
      const run = runId('c');
      const device = `cam-${run}`;
      await startIngest(run);
      const will = makeMessage('status', { deviceId: device, state: 'offline' });
      const client = await connectPublisher(broker.url, device, { ...(await broker.login(device)), will: { topic: deviceTopic(device, 'status', run), payload: encodeMessage(will), qos: 1, retain: true } });
      await register(run, client, device);
      client.stream.destroy(); // no DISCONNECT: the broker publishes the will
      await waitFor(async () => (await db.query<{ state: string }>('select state from devices where id = $1', [device])).rows[0]?.state === 'offline', { timeoutMs: 30_000, what: 'device offline' });
      client.end(true);
    });

    it('turns safety events into incidents, one per device and type within the dedup window', async () => {
      const run = runId('d');
      const device = `cam-${run}`;
      const ingest = await startIngest(run);
      const changes: string[] = [];
      ingest.bus.on('incidents', (list) => changes.push(...list.map((m) => `${m.action}:${m.incident.eventCount}:v${m.incident.version}`)));
      const notified: string[] = [];
      cleanups.push(await db.listen('sw_incidents', (p) => notified.push(p)));
      const client = await publisher(device);
      await register(run, client, device);
      const now = Date.now();
      // intrusion window 5 min: -20, -18, -16 are one incident; -2 opens a second. One at a time (each decided
      // before the next is sent: the rules step runs apart from the batches), so the log order is known.
      const logRows = (): Promise<number> => count(db, 'select count(*) n from incident_log l join incidents i on i.id = l.incident_id where i.device_id = $1', [device]);
      for (const [i, minutes] of [-20, -18, -16, -2].entries()) {
        await publishAll(client, [publication(run, device, 'event', event(device, { type: 'intrusion', severity: minutes === -16 ? 'critical' : 'medium' }, now + minutes * 60_000))]);
        await waitFor(async () => (await count(db, 'select count(*) n from events where device_id = $1', [device])) === i + 1, { timeoutMs: 30_000, what: `event ${i + 1} stored` });
        await waitFor(async () => (await logRows()) === [1, 2, 4, 5][i], { timeoutMs: 30_000, what: `event ${i + 1} decided` });
      }
      await publishAll(client, [publication(run, device, 'event', event(device, { type: 'detection', severity: 'critical' }))]);
      await waitFor(async () => (await count(db, 'select count(*) n from events where device_id = $1', [device])) === 5, { timeoutMs: 30_000, what: 'five events' });
      // A detection has no rule: it is never queued (a step would have nothing to take).
      expect(await count(db, 'select count(*) n from incident_queue where device_id = $1', [device])).toBe(0);
      const incidents = (await db.query<{ id: string; event_count: number; severity: string; status: string; district: string }>('select id, event_count, severity, status, district from incidents where device_id = $1 order by opened_at', [device])).rows;
      expect(incidents.map((i) => [i.event_count, i.severity, i.status, i.district])).toEqual([
        [3, 'critical', 'open', 'A'],
        [1, 'high', 'open', 'A'],
      ]);
      const log = (await db.query<{ action: string }>('select l.action from incident_log l join incidents i on i.id = l.incident_id where i.device_id = $1 order by l.id', [device])).rows.map((r) => r.action);
      expect(log).toEqual(['opened', 'event', 'escalated', 'event', 'opened']);
      expect(changes).toEqual(['opened:1:v1', 'event:2:v2', 'escalated:3:v3', 'opened:1:v1']);
      await waitFor(() => notified.length === 4, { timeoutMs: 30_000, what: 'NOTIFY sw_incidents' });
      expect(JSON.parse(notified[2]!)).toMatchObject({
        v: 1, action: 'escalated', actor: { kind: 'system', id: 'ingest' },
        incident: { id: incidents[0]!.id, severity: 'critical', eventCount: 3, deviceId: device, status: 'open', version: 3 },
      });
    });

    it('dead-letters a blocked device, and a device that never sent its birth once its grace is over', async () => {
      const run = runId('e');
      const blocked = `cam-${run}`;
      const stranger = `new-${run}`;
      await db.query(`insert into devices (id, kind, lat, lon, blocked) values ($1, 'camera', 22.3, 114.2, true)`, [blocked]);
      const ingest = await startIngest(run, { unknownDeviceGraceMs: 300 });
      const a = await publisher(blocked);
      const b = await publisher(stranger);
      await Promise.all([publishAll(a, [publication(run, blocked, 'event', event(blocked)), publication(run, blocked, 'status', birth(blocked))]), publishAll(b, [publication(run, stranger, 'event', event(stranger))])]);
      const rows = await waitFor(async () => {
        const r = (await db.query<{ device_id: string; reason_code: string }>(`select device_id, reason_code from dead_letters where topic like $1 order by device_id, reason_code`, [`${run}/%`])).rows;
        return r.length === 3 ? r : undefined;
      }, { timeoutMs: 30_000, what: 'three dead letters' });
      expect(rows.map((r) => `${r.device_id}:${r.reason_code}`)).toEqual([`cam-${run}:blocked_device`, `cam-${run}:blocked_device`, `new-${run}:unknown_device`]);
      expect(await count(db, 'select count(*) n from events where device_id in ($1, $2)', [blocked, stranger])).toBe(0);
      expect((await db.query('select blocked, name from devices where id = $1', [blocked])).rows[0]).toEqual({ blocked: true, name: null });
      expect(ingest.health().ingest.status).toBe('up');
    });

    it('keeps an event that arrives before its device\'s birth until the birth registers the device', async () => {
      const run = runId('f');
      const device = `cam-${run}`;
      await startIngest(run, { unknownDeviceGraceMs: 20_000 });
      const client = await publisher(device);
      const early = publication(run, device, 'event', event(device));
      const sent = publishAll(client, [early]); // on aedes its PUBACK waits for the commit, so do not await yet
      await waitFor(async () => (await count(db, 'select count(*) n from events where device_id = $1', [device])) === 0 && (await count(db, 'select count(*) n from dead_letters where device_id = $1', [device])) === 0, { timeoutMs: 30_000, what: 'the event waits (not stored, not dead)' });
      await publishAll(client, [publication(run, device, 'status', birth(device))]);
      await sent;
      await waitFor(async () => (await count(db, 'select count(*) n from events where device_id = $1', [device])) === 1, { timeoutMs: 30_000, what: 'event stored' });
      expect(await count(db, 'select count(*) n from dead_letters where device_id = $1', [device])).toBe(0);
    });

    // Only the embedded broker tells ingest who published; on Mosquitto that is the broker's ACL job.
    if (features.knowsPublisher) it('on the embedded broker: refuses a client speaking for another device, never forwards it, and trusts gateways', async () => {
      const run = runId('g');
      const [device, intruder] = [`cam-${run}`, `evil-${run}`];
      await startIngest(run);
      const owner = await publisher(device);
      await register(run, owner, device);
      const watcher = await connectPublisher(broker.url, `watch-${run}`, await broker.login(`watch-${run}`, 'ingest'));
      cleanups.push(() => watcher.endAsync(true));
      const seen: string[] = [];
      watcher.on('message', (_topic, payload) => seen.push(payload.toString()));
      await watcher.subscribeAsync(`${run}/v1/#`, { qos: 1 });
      const spoof = publication(run, device, 'event', event(device, { rule: 'spoofed' }));
      const viaGateway = publication(run, device, 'event', event(device, { rule: 'gateway' }));
      const own = publication(run, device, 'event', event(device, { rule: 'own' }));
      const evil = await publisher(intruder);
      if (broker.authenticates) {
        // The broker refuses it (MQTT 3.1.1 has no negative PUBACK: it closes the connection); ingest never sees it.
        const closed = new Promise<void>((resolve) => evil.once('close', () => resolve()));
        evil.publish(spoof.topic, spoof.payload, { qos: 1 });
        await closed;
        const gateway = await connectPublisher(broker.url, `gw-${run}`, await broker.login(`gw-${run}`, 'gateway', [device]));
        cleanups.push(() => gateway.endAsync(true));
        await publishAll(gateway, [viaGateway]);
      } else {
        await publishAll(evil, [spoof]);
        await publishAll(await publisher(`gw-${run}`), [viaGateway]);
      }
      await publishAll(owner, [own]);
      await waitFor(() => seen.some((p) => p.includes('"rule":"own"')), { timeoutMs: 30_000, what: 'the owner\'s event forwarded' });
      const stored = (await db.query<{ rule: string }>('select rule from events where device_id = $1 order by rule', [device])).rows.map((r) => r.rule);
      expect(stored).toEqual(['gateway', 'own']);
      const dead = (await db.query<{ reason_code: string; client_id: string; reason: string }>('select reason_code, client_id, reason from dead_letters where topic like $1', [`${run}/%`])).rows;
      if (broker.authenticates) {
        expect(dead).toEqual([]);
        expect(await broker.registry.metrics()).toMatch(/streetwise_broker_auth_refused_total\{reason="other_device"\} [1-9]/);
      } else {
        expect(dead).toEqual([{ reason_code: 'unauthorized_publisher', client_id: intruder, reason: `client "${intruder}" may not publish for device "${device}"` }]);
      }
      expect(seen.some((p) => p.includes('"rule":"spoofed"'))).toBe(false);
      expect(seen.some((p) => p.includes('"rule":"gateway"'))).toBe(true);
    });
  });
}
