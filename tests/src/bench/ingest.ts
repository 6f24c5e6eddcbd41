/**
 * `npm run bench -- ingest`: events/s through ingest, each figure against its baselines in the same run,
 * on the embedded stack (aedes in-process + embedded DB) and on the machine's Mosquitto (+ embedded DB):
 * <broker>: aedes, mosquitto (ingest's default K=32 subscriber connections), mosquitto_k128 (K=128).
 *   pipeline_events_per_s_<broker>        MQTT → validate → batch → commit → ack (createIngest)
 *   transport_only_events_per_s_<broker>  same broker and subscriber set-up, acked at once: MQTT's limit
 *   naive_pipeline_events_per_s_<broker>  same set-up, one INSERT (own transaction) per message, then ack
 *   raw_batch_insert_rows_per_s           the same rows, batched inserts straight into the same database
 * INGEST_BENCH_BROKERS=aedes,mosquitto,mosquitto_k128 picks some of them (default all).
 * Load comes from a separate publisher process (ingest-publisher.ts) so it does not share the event loop.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import type { Aedes } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { createEmbeddedDatabase, migrate, type Database } from '@streetwise/db';
import { createIngest, type IngestOptions } from '@streetwise/ingest';
import { startEmbeddedBroker } from '@streetwise/stack';
import { decodeUplink, sharedUplinkFilter, type EventMessage } from '@streetwise/protocol';
import type { BenchOptions, SuiteResult, Figure } from './main.js';
import type { PublisherArgs } from './ingest-publisher.js';

const PIPELINE_EVENTS = 20_000;
const TRANSPORT_EVENTS = 20_000;
const NAIVE_EVENTS = 3_000;
const RAW_ROWS = 20_000;
const DEVICES = 50;
const MOSQUITTO_URL = 'mqtt://127.0.0.1:1883';
/** Subscriber connections on Mosquitto: ingest's default (32), and 128 (bigger batches); each set-up is used for all its figures. */
const MOSQUITTO_CONNECTION_SETS = [32, 128];
/** Publisher connections (gateways); devices in the field each have their own. */
const PUBLISHER_CONNECTIONS = Number(process.env.INGEST_BENCH_PUBLISHERS ?? 16);

type Consumer = (count: number) => Promise<{ done: Promise<void>; stop: () => Promise<void> }>;

interface Broker {
  /** Figure-name suffix: aedes, mosquitto (K=32), mosquitto_k128. */
  name: string;
  /** Subscriber connections (Mosquitto). */
  connections: number;
  url: string;
  /** For consumers that hook aedes in-process. */
  aedes?: Aedes;
  close(): Promise<void>;
}

async function startAedes(): Promise<Broker> {
  const broker = await startEmbeddedBroker(0);
  return { name: 'aedes', connections: 0, url: broker.url, aedes: broker.aedes, close: () => broker.close() };
}

const mosquitto = (connections: number) => async (): Promise<Broker> => ({
  name: connections === 32 ? 'mosquitto' : `mosquitto_k${connections}`,
  connections,
  url: MOSQUITTO_URL,
  close: async () => {},
});

/** Spawn the publisher, wait until it is connected and ready, start it, and time until `done`. */
async function measure(args: PublisherArgs, done: Promise<void>): Promise<Measured> {
  const script = fileURLToPath(new URL('./ingest-publisher.js', import.meta.url));
  const child = spawn(process.execPath, [script, JSON.stringify(args)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const iterator = lines[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.value !== 'ready') throw new Error(`bench publisher did not start (${String(first.value)})`);
  const started = performance.now();
  const cpu = process.cpuUsage();
  child.stdin!.write('go\n');
  await done;
  const seconds = (performance.now() - started) / 1000;
  const ownCpuMs = cpuMs(process.cpuUsage(cpu));
  const last = await iterator.next(); // its own "all PUBACKs received" line, with its CPU time
  const publisherCpuMs = (JSON.parse(String(last.value)) as { cpuMs: number }).cpuMs;
  child.stdin!.end();
  await once(child, 'exit');
  return { perSecond: args.count / seconds, cpuUsPerEvent: { consumer: (ownCpuMs * 1000) / args.count, publisher: (publisherCpuMs * 1000) / args.count }, cores: (ownCpuMs + publisherCpuMs) / 1000 / seconds };
}

const cpuMs = (usage: NodeJS.CpuUsage): number => (usage.user + usage.system) / 1000;

interface Measured {
  perSecond: number;
  /** CPU time per event: this process (broker when in-process, ingest, database worker) and the publisher process. */
  cpuUsPerEvent: { consumer: number; publisher: number };
  /** Cores busy on average (both processes) while it ran: 2 is all of this machine. */
  cores: number;
}

function counter(count: number): { add: (n?: number) => void; done: Promise<void> } {
  let seen = 0;
  let resolve!: () => void;
  const done = new Promise<void>((r) => (resolve = r));
  return {
    done,
    add: (n = 1) => {
      seen += n;
      if (seen >= count) resolve();
    },
  };
}

/** K shared-subscription connections on Mosquitto, each calling `handle` for one message at a time. */
async function mosquittoSubscribers(connections: number, group: string, prefix: string, handle: (topic: string, payload: Buffer) => Promise<void>): Promise<MqttClient[]> {
  const clients: MqttClient[] = [];
  for (let k = 0; k < connections; k++) {
    const client = mqtt.connect(MOSQUITTO_URL, { protocolVersion: 5, clientId: `${group}-${k}`, clean: true, reconnectPeriod: 0 });
    client.handleMessage = (packet, ack) => void handle(packet.topic, packet.payload as Buffer).then(() => ack(), (err: Error) => ack(err));
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
    });
    await client.subscribeAsync(sharedUplinkFilter(group, prefix), { qos: 1 });
    clients.push(client);
  }
  return clients;
}

/** The same hook point for both baselines on each broker: aedes' authorizePublish, or Mosquitto subscribers. */
function hookedConsumer(broker: Broker, prefix: string, onMessage: (topic: string, payload: Buffer) => Promise<void>): Consumer {
  return async (count) => {
    const c = counter(count);
    const handle = async (topic: string, payload: Buffer): Promise<void> => {
      await onMessage(topic, payload);
      c.add();
    };
    if (broker.aedes) {
      const aedes = broker.aedes;
      const previous = aedes.authorizePublish;
      aedes.authorizePublish = (client, packet, callback) => {
        if (!packet.topic.startsWith(`${prefix}/`)) return previous.call(aedes, client, packet, callback);
        handle(packet.topic, packet.payload as Buffer).then(() => callback(null), (err: Error) => callback(err));
      };
      return { done: c.done, stop: async () => void (aedes.authorizePublish = previous) };
    }
    const clients = await mosquittoSubscribers(broker.connections, `b${prefix}`, prefix, handle);
    return { done: c.done, stop: async () => void (await Promise.all(clients.map((client) => client.endAsync(true)))) };
  };
}

const NAIVE_INSERT = `insert into events (time, id, device_id, type, severity, class, track_id, confidence, lat, lon, rule, direction,
  speed_kmh, count, duration_s, model_version, attrs, has_snapshot) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
  on conflict do nothing`;

function eventValues(m: EventMessage): unknown[] {
  return [m.ts, m.id, m.deviceId, m.type, m.severity, m.class ?? null, m.trackId ?? null, m.confidence ?? null, m.location.lat, m.location.lon,
    m.rule ?? null, m.direction ?? null, m.speedKmh ?? null, m.count ?? null, m.durationS ?? null, m.modelVersion ?? null,
    m.attrs === undefined ? null : JSON.stringify(m.attrs), m.snapshot !== undefined];
}

/** Raw batched insert of the same kind of rows, 500 per statement, one statement per transaction. */
async function rawBatchInsert(db: Database, devices: string[], rows: number): Promise<number> {
  const { makeMessage } = await import('@streetwise/protocol');
  const now = Date.now();
  const messages = Array.from({ length: rows }, (_, i) => makeMessage('event', { deviceId: devices[i % devices.length]!, type: 'line_crossing', severity: 'info', class: 'car', trackId: i, confidence: 0.9, location: { lat: 22.3, lon: 114.17 }, rule: 'stop-line', direction: 'in', speedKmh: 42 }, now - rows + i));
  const sql = `insert into events (time, id, device_id, type, severity, class, track_id, confidence, lat, lon, rule, direction, speed_kmh, count, duration_s, model_version, attrs, has_snapshot)
    select * from unnest($1::timestamptz[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::real[], $9::float8[], $10::float8[], $11::text[], $12::text[], $13::real[], $14::int[], $15::real[], $16::text[], $17::jsonb[], $18::bool[])
    on conflict do nothing`;
  const started = performance.now();
  for (let start = 0; start < rows; start += 500) {
    const values = messages.slice(start, start + 500).map(eventValues);
    await db.query(sql, values[0]!.map((_, column) => values.map((row) => row[column])));
  }
  return rows / ((performance.now() - started) / 1000);
}

export async function run(options: BenchOptions): Promise<SuiteResult> {
  const figures: Figure[] = [];
  const logger = pino({ level: 'warn' });
  options.progress('starting the embedded database');
  const db = await createEmbeddedDatabase({ dataDir: 'memory://' });
  try {
    await migrate(db, { logger });
    const tag = Date.now().toString(36);
    const devices = Array.from({ length: DEVICES }, (_, i) => `bench-${tag}-${i}`);
    await db.query(`insert into devices (id, kind, lat, lon) select unnest($1::text[]), 'camera', 22.3, 114.17`, [devices]);

    const only = process.env.INGEST_BENCH_BROKERS?.split(',');
    for (const makeBroker of [startAedes, ...MOSQUITTO_CONNECTION_SETS.map(mosquitto)]) {
      const probe = await makeBroker();
      const name = probe.name;
      await probe.close();
      if (only && !only.includes(name)) continue;
      const publisherArgs = (prefix: string, count: number, url: string): PublisherArgs => ({ url, prefix, devices, count, connections: PUBLISHER_CONNECTIONS });

      const runOne = async (figure: string, count: number, consumer: (broker: Broker, prefix: string) => Consumer): Promise<number> => {
        const broker = await makeBroker();
        const prefix = `bench${name}${figure.replace(/_/g, '')}${tag}`;
        try {
          options.progress(`${name}: ${figure}, ${count} events`);
          const started = await consumer(broker, prefix)(count);
          try {
            const m = await measure(publisherArgs(prefix, count, broker.url), started.done);
            options.progress(`${name}: ${figure}: ${Math.round(m.perSecond)} events/s; CPU per event: ${m.cpuUsPerEvent.consumer.toFixed(1)} µs here, ${m.cpuUsPerEvent.publisher.toFixed(1)} µs publisher; ${m.cores.toFixed(2)} cores busy`);
            return m.perSecond;
          } finally {
            await started.stop();
          }
        } finally {
          await broker.close();
        }
      };

      const transport = await runOne('transport_only', TRANSPORT_EVENTS, (broker, prefix) => hookedConsumer(broker, prefix, async () => {}));
      const pipeline = await runOne('pipeline', PIPELINE_EVENTS, (broker, prefix) => async (count) => {
        const c = counter(count);
        const transportOption: IngestOptions['transport'] = broker.aedes
          ? { kind: 'aedes', aedes: broker.aedes, trustedPublishers: ['bench-pub-*'] }
          : { kind: 'mqtt', url: MOSQUITTO_URL, connections: broker.connections, group: `g${prefix}`, clientIdPrefix: `i${prefix}`, sessionExpirySeconds: 60 };
        const registry = new Registry();
        const ingest = createIngest({ db, transport: transportOption, prefix, logger, registry });
        ingest.bus.on('batch', (b) => c.add(b.stored + b.duplicates));
        await ingest.start();
        return {
          done: c.done,
          stop: async () => {
            const sizes = await registry.getSingleMetricAsString('streetwise_ingest_batch_size');
            const sum = Number(/_sum (\S+)/.exec(sizes)?.[1] ?? 0);
            const n = Number(/_count (\S+)/.exec(sizes)?.[1] ?? 1);
            options.progress(`${name}: pipeline made ${n} batches, ${(sum / n).toFixed(1)} messages per batch on average`);
            await ingest.stop({ endSessions: true });
          },
        };
      });
      const naive = await runOne('naive', NAIVE_EVENTS, (broker, prefix) => hookedConsumer(broker, prefix, async (topic, payload) => {
        const decoded = decodeUplink(topic, payload, { prefix });
        if (decoded.ok && decoded.kind === 'event') await db.query(NAIVE_INSERT, eventValues(decoded.message as EventMessage));
      }));
      figures.push(
        { name: `pipeline_events_per_s_${name}`, value: pipeline, unit: 'events/s' },
        { name: `transport_only_events_per_s_${name}`, value: transport, unit: 'events/s' },
        { name: `naive_pipeline_events_per_s_${name}`, value: naive, unit: 'events/s' },
        { name: `pipeline_vs_transport_${name}`, value: pipeline / transport, unit: 'ratio (target >= 0.8)' },
        { name: `pipeline_vs_naive_${name}`, value: pipeline / naive, unit: 'ratio (target >= 10)' },
      );
    }
    options.progress(`raw batched insert, ${RAW_ROWS} rows`);
    figures.push({ name: 'raw_batch_insert_rows_per_s', value: await rawBatchInsert(db, devices, RAW_ROWS), unit: 'rows/s' });
  } finally {
    await db.close();
  }
  return { suite: 'ingest', figures };
}
