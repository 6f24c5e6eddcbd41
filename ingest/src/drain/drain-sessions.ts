import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import type { Database } from '@streetwise/db';
import { createIngest, type IngestOptions } from '../ingest.js';
import type { MqttTransportOptions } from '../intake/transport-mqtt.js';

/**
 * Drain a dead worker's share. Mosquitto keeps routing a shared subscription's messages to a member
 * whose persistent session outlived it, and queues them until the member returns or the session
 * expires (then they are gone). A worker stopped for good therefore leaves a growing queue. This takes
 * over its client ids `<clientIdPrefix>-<k>` (clean start false), removes their subscription so no new
 * share arrives, stores what was queued through the normal ingest path (validate, dedupe, commit, then
 * PUBACK), and once nothing has arrived for `idleMs` with nothing left to commit, disconnects with a
 * session expiry of 0: the broker forgets those sessions and routes the whole stream to the living.
 */
export interface DrainOptions {
  db: Database;
  /** The dead worker's broker settings: its URL, login, group, connection count and, above all, its client id prefix. */
  transport: Omit<MqttTransportOptions, 'kind' | 'role' | 'sessions'> & { clientIdPrefix: string };
  prefix?: string;
  batch?: IngestOptions['batch'];
  unknownDeviceGraceMs?: number;
  /** Nothing received and nothing left to commit for this long: the queues are empty, ms. Default 2,000. */
  idleMs?: number;
  /** Give up after this long and keep the sessions for another try, ms. Default 600,000. */
  timeoutMs?: number;
  /** How often to look, ms. Default 50. */
  pollMs?: number;
  logger: Logger;
}

export type DrainOutcome = 'drained' | 'timed_out';

export interface DrainReport {
  outcome: DrainOutcome;
  clientIdPrefix: string;
  connections: number;
  /** Connections whose CONNACK said the broker still held a session for that client id. */
  sessionsFound: number;
  /** True when every session was ended (session expiry 0) after its queue was stored. */
  sessionsEnded: boolean;
  /** What the queued messages became. */
  messages: { stored: number; duplicate: number; deadLetter: number; ignored: number };
  /** From start until the last queued message was processed, seconds: the drain's real work. */
  busySeconds: number;
  /** From start to the last disconnect (busySeconds + the idle wait + the disconnect), seconds. */
  seconds: number;
}

const DEFAULTS = { idleMs: 2_000, timeoutMs: 600_000, pollMs: 50 };

async function processedCounts(registry: Registry): Promise<DrainReport['messages']> {
  const counts = { stored: 0, duplicate: 0, deadLetter: 0, ignored: 0 };
  const messages = await registry.getSingleMetric('streetwise_ingest_messages_total')?.get();
  for (const { labels, value } of messages?.values ?? []) {
    if (labels.result === 'stored') counts.stored = value;
    else if (labels.result === 'duplicate') counts.duplicate = value;
    else if (labels.result === 'dead_letter') counts.deadLetter = value;
  }
  counts.ignored = (await registry.getSingleMetric('streetwise_ingest_downlinks_ignored_total')?.get())?.values[0]?.value ?? 0;
  return counts;
}

const total = (m: DrainReport['messages']): number => m.stored + m.duplicate + m.deadLetter + m.ignored;

export async function drainSessions(options: DrainOptions): Promise<DrainReport> {
  const { idleMs, timeoutMs, pollMs } = { ...DEFAULTS, ...options };
  const startedMs = performance.now();
  const registry = new Registry();
  const found = new Set<string>();
  const ended = new Map<string, boolean>();
  const ingest = createIngest({
    db: options.db,
    transport: {
      ...options.transport,
      kind: 'mqtt',
      role: 'drain',
      sessions: {
        connected: (clientId, present) => void (present ? found.add(clientId) : undefined),
        closed: (clientId, wasEnded) => void ended.set(clientId, wasEnded),
      },
    },
    ...(options.prefix !== undefined ? { prefix: options.prefix } : {}),
    ...(options.batch !== undefined ? { batch: options.batch } : {}),
    ...(options.unknownDeviceGraceMs !== undefined ? { unknownDeviceGraceMs: options.unknownDeviceGraceMs } : {}),
    logger: options.logger,
    registry,
  });
  await ingest.start();

  // Quiet = the processed count stood still and nothing was buffered (a message waiting for its
  // device's birth, or for its commit, is buffered) for idleMs.
  let lastTotal = -1;
  let quietSinceMs = performance.now();
  let outcome: DrainOutcome = 'drained';
  for (;;) {
    const nowMs = performance.now();
    const processed = total(await processedCounts(registry));
    if (processed !== lastTotal || ingest.health().ingest.buffered > 0) {
      lastTotal = processed;
      quietSinceMs = nowMs;
    } else if (nowMs - quietSinceMs >= idleMs) break;
    if (nowMs - startedMs >= timeoutMs) {
      outcome = 'timed_out';
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  if (outcome === 'timed_out') options.logger.error({ timeoutMs }, 'the queues did not empty in time: the sessions are kept, run the drain again');
  await ingest.stop({ endSessions: outcome === 'drained' });
  const messages = await processedCounts(registry);
  return {
    outcome,
    clientIdPrefix: options.transport.clientIdPrefix,
    connections: options.transport.connections ?? ended.size,
    sessionsFound: found.size,
    sessionsEnded: ended.size > 0 && [...ended.values()].every(Boolean),
    messages,
    busySeconds: Math.round((quietSinceMs - startedMs) / 10) / 100,
    seconds: Math.round((performance.now() - startedMs) / 10) / 100,
  };
}
