import { hostname } from 'node:os';
import { bool, defineSettings, integer, LOG_LEVELS, oneOf, pattern, url, type ParsedSettings } from '@streetwise/settings';
import { SW_INGEST_SETTINGS_INVALID } from './errors.js';

/**
 * Settings of the ingest process (main.ts), from the environment or flags (a flag wins). Every
 * setting has a default (or is required), a one-line description and bounds; all problems are
 * reported at once as `SETTING | value | what is expected`.
 */
const idPart = pattern(/^[A-Za-z0-9_-]{1,40}$/, '1-40 letters, digits, "-" or "_"');
const defaultClientIdPrefix = (group: string): string => `${group}-${hostname().replace(/[^A-Za-z0-9_-]/g, '').slice(0, 20) || 'worker'}`;

export const INGEST_SETTINGS = defineSettings({
  mqttUrl: { env: 'MQTT_URL', flag: '--mqtt-url', required: true, description: 'MQTT 5 broker (Mosquitto, EMQX), e.g. mqtt://127.0.0.1:1883', parse: url(['mqtt', 'mqtts', 'tcp', 'ws', 'wss']) },
  mqttUsername: { env: 'MQTT_USERNAME', flag: '--mqtt-username', description: "broker user name: an ingest credential from the registry (npm run devices -- add NAME --kind ingest)", parse: pattern(/^\S{1,256}$/, 'a user name without spaces') },
  mqttPasswordFile: { env: 'MQTT_PASSWORD_FILE', flag: '--mqtt-password-file', description: "file holding that credential's secret (a file, so the secret stays out of process listings)", parse: pattern(/^.+$/, 'a file path') },
  databaseUrl: { env: 'DATABASE_URL', flag: '--database-url', required: true, description: "PostgreSQL with TimescaleDB (or the embedded database's wire port), e.g. postgres://postgres@127.0.0.1:5433/postgres", parse: url(['postgres', 'postgresql']) },
  connections: { env: 'INGEST_CONNECTIONS', flag: '--connections', defaultValue: '32', description: 'subscriber connections in the shared-subscription group', parse: integer(1, 1024) },
  inFlightPerConnection: { env: 'INGEST_IN_FLIGHT', flag: '--in-flight', defaultValue: '64', description: "messages one connection holds unacked until their batch commits (its MQTT 5 Receive Maximum; 1 = MQTT.js's one at a time)", parse: integer(1, 65_535) },
  group: { env: 'INGEST_GROUP', flag: '--group', defaultValue: 'ingest', description: 'shared-subscription group; all ingest workers of one deployment use the same', parse: idPart },
  clientIdPrefix: { env: 'INGEST_CLIENT_ID', flag: '--client-id', description: 'client ids are <this>-<k>; keep it stable per worker so a restart reclaims its sessions (default <group>-<hostname>)', parse: pattern(/^[A-Za-z0-9_-]{1,60}$/, 'up to 60 letters, digits, "-" or "_"') },
  sessionExpirySeconds: { env: 'INGEST_SESSION_EXPIRY_S', flag: '--session-expiry-s', defaultValue: '3600', description: "how long the broker keeps a stopped worker's session and queues its share, seconds", parse: integer(0, 30 * 86_400) },
  topicPrefix: { env: 'TOPIC_PREFIX', flag: '--topic-prefix', defaultValue: 'streetwise', description: 'first level of every MQTT topic', parse: pattern(/^[A-Za-z0-9_-]+$/, 'letters, digits, "-" or "_"') },
  batchMaxRows: { env: 'INGEST_BATCH_MAX_ROWS', flag: '--batch-max-rows', defaultValue: '500', description: 'largest batch, messages', parse: integer(1, 20_000) },
  batchMaxWaitMs: { env: 'INGEST_BATCH_MAX_WAIT_MS', flag: '--batch-max-wait-ms', defaultValue: '20', description: 'longest a message waits for its batch to fill, ms', parse: integer(0, 10_000) },
  maxBuffered: { env: 'INGEST_MAX_BUFFERED', flag: '--max-buffered', defaultValue: '10000', description: 'messages held in memory before ingest stops reading (backpressure)', parse: integer(1, 1_000_000) },
  unknownDeviceGraceMs: { env: 'INGEST_UNKNOWN_DEVICE_GRACE_MS', flag: '--unknown-device-grace-ms', defaultValue: '2000', description: 'how long a message from an unregistered device waits for its birth before it is dead-lettered, ms', parse: integer(0, 600_000) },
  dbPoolSize: { env: 'DB_POOL_SIZE', flag: '--db-pool-size', defaultValue: '2', description: "database connections (use 1 with the embedded database's wire port: it serves one client at a time)", parse: integer(1, 64) },
  requireTimescale: { env: 'DB_REQUIRE_TIMESCALE', flag: '--require-timescale', defaultValue: 'true', description: 'refuse a database server without TimescaleDB (false: a plain PostgreSQL that already holds the tables, as the tests use)', parse: bool },
  migrate: { env: 'INGEST_MIGRATE', flag: '--migrate', defaultValue: 'true', description: 'apply the database migrations at start (idempotent)', parse: bool },
  port: { env: 'INGEST_PORT', flag: '--port', defaultValue: '9464', description: 'HTTP port for /metrics and /health (0 = any free port)', parse: integer(0, 65_535) },
  host: { env: 'INGEST_HOST', flag: '--host', defaultValue: '127.0.0.1', description: 'address /metrics and /health listen on', parse: pattern(/^\S+$/, 'a host name or address') },
  logLevel: { env: 'LOG_LEVEL', flag: '--log-level', defaultValue: 'info', description: 'log level', parse: oneOf(LOG_LEVELS) },
});

type Parsed = ReturnType<typeof INGEST_SETTINGS.parse>;
export type IngestSettings = Omit<Extract<Parsed, { ok: true }>['settings'], 'clientIdPrefix'> & { clientIdPrefix: string };
export type ParsedIngestSettings = ParsedSettings<IngestSettings>;

/** Parse flags (`--port 9465` or `--port=9465`) over the environment; never throws. */
export function parseIngestSettings(argv: readonly string[], env: NodeJS.ProcessEnv): ParsedIngestSettings {
  const parsed = INGEST_SETTINGS.parse(argv, env);
  if (!parsed.ok) return parsed;
  return { ok: true, settings: { ...parsed.settings, clientIdPrefix: parsed.settings.clientIdPrefix ?? defaultClientIdPrefix(parsed.settings.group) } };
}

/** Throwing variant for programs that embed ingest. */
export function requireIngestSettings(argv: readonly string[], env: NodeJS.ProcessEnv): IngestSettings {
  const parsed = parseIngestSettings(argv, env);
  if (parsed.ok) return parsed.settings;
  throw SW_INGEST_SETTINGS_INVALID([parsed.help ? 'help requested' : parsed.problems.join('\n')]);
}

export function ingestHelp(): string {
  return `${INGEST_SETTINGS.help(
    'node ingest/dist/main.js [flags]',
    'Streetwise ingest: MQTT → validate → dedupe → batch → commit → ack, as its own process.',
  )}\n\nGET /metrics (Prometheus) and GET /health (JSON; 200 when broker, database and ingest are up, else 503).`;
}
