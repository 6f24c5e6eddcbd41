import type { Logger } from 'pino';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import type { Database } from '@streetwise/db';
import { loadDistrictBoundaries } from '@streetwise/districts';
import { DEFAULT_DECODE_OPTIONS, DEFAULT_TOPIC_PREFIX, assertPrefix, newMessageId, type DecodeOptions } from '@streetwise/protocol';
import { BatchWriter, type BatchWriterOptions, type CommitStats } from './write/batch-writer.js';
import { IngestBus } from './notify/bus.js';
import { classifyMessage } from './intake/classify-message.js';
import { commitBatch } from './write/commit-batch.js';
import { SW_INGEST_DB_UNAVAILABLE, SW_INGEST_DEAD_LETTER_LOST, SW_INGEST_OPTIONS_INVALID } from './errors.js';
import { DEFAULT_INCIDENT_RULES, type IncidentRules } from './incidents/incident-rules.js';
import { IncidentStep } from './incidents/incident-step.js';
import { createIngestMetrics } from './metrics.js';
import { DeviceCache } from './write/device-cache.js';
import type { PublisherPolicy } from './intake/publisher-check.js';
import type { Transport, TransportHealth } from './intake/transport.js';
import { createAedesTransport, type AedesTransportOptions } from './intake/transport-aedes.js';
import { createMqttTransport, type MqttTransportOptions } from './intake/transport-mqtt.js';
import type { IngestResult, Received } from './types.js';

export interface IngestOptions {
  db: Database;
  /** The embedded broker in-process, or an MQTT 5 broker by URL. */
  transport: AedesTransportOptions | MqttTransportOptions;
  /** Topic prefix. Default 'streetwise'. */
  prefix?: string;
  /** Batching, buffer bound and retry backoff (see BatchWriterOptions). */
  batch?: Partial<BatchWriterOptions>;
  /** Decode limits besides the prefix (payload size, clock skew, age, depth). Default: the protocol's. */
  decode?: Partial<Omit<DecodeOptions, 'prefix'>>;
  /** A message from a device that never sent its birth waits this long for it, then is dead-lettered, ms. Default 2,000. */
  unknownDeviceGraceMs?: number;
  /** Event types that become incidents. Default DEFAULT_INCIDENT_RULES. */
  rules?: IncidentRules;
  /** How long a looked-up device (registered? blocked?) is trusted before it is read again, ms. Default 5,000. */
  deviceCacheTtlMs?: number;
  /** Send NOTIFY sw_events/sw_incidents/sw_devices with each batch. Default true. */
  notify?: boolean;
  /** Least time between two incident steps (the rules, run on the queued safety events of several batches at once), ms. Default 50. */
  incidentIntervalMs?: number;
  /** How long stop() lets buffered messages commit, ms. Default 10,000. */
  stopTimeoutMs?: number;
  logger?: Logger;
  /** Prometheus registry shared with the process. Default: a new one. */
  registry?: Registry;
}

export type IngestState = 'created' | 'starting' | 'running' | 'stopping' | 'stopped';

export interface ComponentState {
  status: 'up' | 'down' | 'degraded';
  detail?: string;
}

export interface IngestHealth {
  broker: ComponentState;
  database: ComponentState;
  ingest: ComponentState & {
    state: IngestState;
    writer: 'idle' | 'committing' | 'retrying' | 'closed';
    buffered: number;
    backlogged: number;
    lastCommitAt: string | null;
  };
}

export interface Ingest {
  start(): Promise<void>;
  /** endSessions: leave the shared-subscription group for good (MQTT 5); default keeps the sessions for a restart. */
  stop(options?: { endSessions?: boolean }): Promise<void>;
  health(): IngestHealth;
  readonly bus: IngestBus;
  readonly registry: Registry;
}

export function createIngest(options: IngestOptions): Ingest {
  const prefix = options.prefix ?? DEFAULT_TOPIC_PREFIX;
  try {
    assertPrefix(prefix);
  } catch (err) {
    throw SW_INGEST_OPTIONS_INVALID(['prefix', (err as Error).message], { cause: err });
  }
  // Births are given their district from these polygons: read them now, so a broken checkout fails here, not on a birth.
  loadDistrictBoundaries();
  const logger = options.logger ?? pino({ name: 'ingest' });
  const registry = options.registry ?? new Registry();
  // The writer is made below; the gauges read it only at scrape time.
  const metrics = createIngestMetrics(registry, { buffered: () => writer.buffered, backlogged: () => writer.backlogged });
  const decode: DecodeOptions = { ...DEFAULT_DECODE_OPTIONS, ...options.decode, prefix };
  const rules = options.rules ?? DEFAULT_INCIDENT_RULES;
  const unknownDeviceGraceMs = options.unknownDeviceGraceMs ?? 2_000;
  const bus = new IngestBus((err, event) => logger.error({ err, event }, 'an ingest bus listener threw'));
  const publisherPolicy: PublisherPolicy | null =
    options.transport.kind === 'aedes' && options.transport.brokerAuthorizes !== true
      ? { trustedPublishers: options.transport.trustedPublishers ?? [], downlinkPublishers: options.transport.downlinkPublishers ?? [] }
      : null;
  const deviceCache = new DeviceCache(options.deviceCacheTtlMs ?? 5_000, 10_000);
  let lastPruneMs = Date.now();
  let state: IngestState = 'created';
  let databaseDown: string | null = null;
  let lastCommitAt: number | null = null;

  const writer = new BatchWriter(
    {
      commit: (items, firstSeenMs, nowMs) =>
        commitBatch(options.db, items, firstSeenMs, { rules, devices: deviceCache, unknownDeviceGraceMs, notify: options.notify ?? true, nowMs, newId: () => newMessageId() }),
      committed: (stats) => onCommitted(stats),
      failed: (err, kind, retryInMs, rows) => {
        metrics.commitFailures.inc({ kind });
        if (kind === 'unavailable') {
          const wrapped = SW_INGEST_DB_UNAVAILABLE([(err as Error).message ?? String(err), retryInMs], { cause: err });
          if (databaseDown === null) logger.error({ err: wrapped, rows }, 'database unavailable: holding acks and retrying');
          else logger.debug({ err: wrapped, rows }, 'database still unavailable');
          databaseDown = (err as Error).message ?? String(err);
        } else logger.warn({ err, rows }, 'the database refused a row; splitting the batch to find it');
      },
      refused: (item, err) => logger.error({ err: SW_INGEST_DEAD_LETTER_LOST([item.topic.slice(0, 200), (err as Error).message], { cause: err }) }, 'row refused by the database'),
    },
    options.batch,
  );

  let incidentStepDown = false;
  const incidentStep = new IncidentStep(
    options.db,
    { rules, notify: options.notify ?? true, newId: () => newMessageId(), intervalMs: options.incidentIntervalMs },
    {
      decided: (messages, taken) => {
        if (incidentStepDown) logger.info('incident step: the database answers again');
        incidentStepDown = false;
        metrics.incidentStepEvents.observe(taken);
        if (messages.length > 0) bus.emit('incidents', messages);
      },
      failed: (err, retryInMs) => {
        metrics.incidentStepFailures.inc();
        if (!incidentStepDown) logger.error({ err, retryInMs }, 'incident step failed: the safety events stay queued; retrying');
        incidentStepDown = true;
      },
    },
  );

  function onCommitted({ rows, seconds, outcome }: CommitStats): void {
    if (databaseDown !== null) logger.info('database back: batches commit again');
    databaseDown = null;
    lastCommitAt = Date.now();
    if (lastCommitAt - lastPruneMs > 60_000) {
      deviceCache.prune(lastCommitAt);
      lastPruneMs = lastCommitAt;
    }
    const counts = { stored: 0, duplicate: 0, dead_letter: 0 };
    for (const result of outcome.outcomes) if (result !== 'deferred') counts[result] += 1;
    for (const result of ['stored', 'duplicate', 'dead_letter'] as const) if (counts[result] > 0) metrics.messages.inc({ result }, counts[result]);
    if (rows > 0) {
      metrics.batchSize.observe(rows);
      metrics.commitSeconds.observe(seconds);
    }
    if (outcome.devices.length > 0) bus.emit('devices', outcome.devices);
    if (outcome.events.length > 0) bus.emit('events', outcome.events);
    if (outcome.incidents.length > 0) bus.emit('incidents', outcome.incidents);
    if (outcome.queuedSafety > 0) incidentStep.poke();
    if (outcome.deadLetters.length > 0) bus.emit('deadLetters', outcome.deadLetters);
    if (rows > 0) bus.emit('batch', { stored: counts.stored, duplicates: counts.duplicate, deadLetters: counts.dead_letter, commitSeconds: seconds });
  }

  async function handle(received: Received): Promise<IngestResult | 'ignored'> {
    const classified = classifyMessage(received, { decode, publisherPolicy });
    if (classified.outcome === 'ignore') {
      metrics.downlinksIgnored.inc();
      return 'ignored';
    }
    if (classified.districtNote) {
      metrics.districtMismatches.inc({ reason: classified.districtNote.reason });
      logger.warn({ district: classified.districtNote }, 'device district: the text and the location disagree, or the text names no district');
    }
    return writer.submit(classified.item);
  }

  // `transport`, not a second `component`: the caller has named this logger already, and pino would
  // print the key twice.
  const transportLogger = logger.child({ transport: options.transport.kind });
  const transport: Transport =
    options.transport.kind === 'aedes'
      ? createAedesTransport(options.transport, prefix, handle, transportLogger)
      : createMqttTransport(options.transport, prefix, handle, transportLogger);

  function health(): IngestHealth {
    const broker: TransportHealth = state === 'running' || state === 'starting' ? transport.health() : { status: 'down', detail: `ingest ${state}` };
    const database: ComponentState = databaseDown === null ? { status: 'up' } : { status: 'down', detail: databaseDown };
    const ingestStatus: ComponentState['status'] =
      state !== 'running' ? 'down' : databaseDown !== null || broker.status !== 'up' || writer.backlogged > 0 ? 'degraded' : 'up';
    return {
      broker,
      database,
      ingest: {
        status: ingestStatus,
        detail: `${state}; ${writer.buffered} buffered${writer.backlogged > 0 ? `, ${writer.backlogged} held back (buffer full)` : ''}${databaseDown !== null ? '; database down, acks held' : ''}`,
        state,
        writer: writer.state,
        buffered: writer.buffered,
        backlogged: writer.backlogged,
        lastCommitAt: lastCommitAt === null ? null : new Date(lastCommitAt).toISOString(),
      },
    };
  }

  return {
    bus,
    registry,
    health,
    async start() {
      if (state !== 'created') throw SW_INGEST_OPTIONS_INVALID(['start()', `ingest is ${state}; an ingest starts once (create a new one to start again)`]);
      state = 'starting';
      const applyHints = (): void => {
        const hints = transport.flowHints();
        writer.inFlightLimit = hints.inFlightLimit;
        writer.flushWhenIdle = hints.flushWhenIdle;
      };
      applyHints();
      try {
        await transport.start();
      } catch (err) {
        state = 'stopped';
        await writer.close(0);
        throw err;
      }
      applyHints(); // the MQTT transport may have fallen back to one connection
      state = 'running';
      incidentStep.poke(); // safety events an earlier ingest queued and did not decide (it stopped, or died)
    },
    async stop(stopOptions = {}) {
      if (state !== 'running' && state !== 'starting') return;
      state = 'stopping';
      transport.pause();
      await writer.close(options.stopTimeoutMs ?? 10_000);
      await incidentStep.close(options.stopTimeoutMs ?? 10_000);
      await transport.stop(stopOptions);
      state = 'stopped';
      logger.info('ingest stopped');
    },
  };
}
