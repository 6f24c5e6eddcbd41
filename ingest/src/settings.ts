import { hostname } from 'node:os';
import { SW_INGEST_SETTINGS_INVALID } from './errors.js';

/**
 * Settings of the ingest process (main.ts), from the environment or flags (a flag wins). Every
 * setting has a default (or is required), a one-line description and bounds; all problems are
 * reported at once as `SETTING | value | what is expected`.
 */
export interface IngestSettings {
  mqttUrl: string;
  databaseUrl: string;
  connections: number;
  group: string;
  clientIdPrefix: string;
  sessionExpirySeconds: number;
  topicPrefix: string;
  batchMaxRows: number;
  batchMaxWaitMs: number;
  maxBuffered: number;
  unknownDeviceGraceMs: number;
  dbPoolSize: number;
  migrate: boolean;
  port: number;
  host: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

type Parse = (raw: string) => { ok: true; value: unknown } | { ok: false; expected: string };

interface SettingSpec {
  key: keyof IngestSettings;
  env: string;
  flag: string;
  /** undefined: required. */
  defaultValue: string | undefined;
  description: string;
  parse: Parse;
}

const integer = (min: number, max: number): Parse => (raw) => {
  const n = Number(raw);
  return /^\d+$/.test(raw.trim()) && n >= min && n <= max ? { ok: true, value: n } : { ok: false, expected: `a whole number from ${min} to ${max}` };
};
const pattern = (re: RegExp, expected: string): Parse => (raw) => (re.test(raw) ? { ok: true, value: raw } : { ok: false, expected });
const url = (schemes: string[]): Parse => (raw) => {
  try {
    if (schemes.includes(new URL(raw).protocol.replace(/:$/, ''))) return { ok: true, value: raw };
  } catch {
    /* reported below */
  }
  return { ok: false, expected: `a URL starting with ${schemes.map((s) => `${s}://`).join(' or ')}` };
};
const oneOf = (values: readonly string[]): Parse => (raw) => (values.includes(raw) ? { ok: true, value: raw } : { ok: false, expected: `one of ${values.join(', ')}` });
const bool: Parse = (raw) => (raw === 'true' || raw === 'false' ? { ok: true, value: raw === 'true' } : { ok: false, expected: 'true or false' });
const idPart = pattern(/^[A-Za-z0-9_-]{1,40}$/, '1-40 letters, digits, "-" or "_"');

const defaultGroup = 'ingest';
const defaultClientIdPrefix = (group: string): string => `${group}-${hostname().replace(/[^A-Za-z0-9_-]/g, '').slice(0, 20) || 'worker'}`;

export const INGEST_SETTINGS: readonly SettingSpec[] = [
  { key: 'mqttUrl', env: 'MQTT_URL', flag: '--mqtt-url', defaultValue: undefined, description: 'MQTT 5 broker (Mosquitto, EMQX), e.g. mqtt://127.0.0.1:1883', parse: url(['mqtt', 'mqtts', 'tcp', 'ws', 'wss']) },
  { key: 'databaseUrl', env: 'DATABASE_URL', flag: '--database-url', defaultValue: undefined, description: 'PostgreSQL with TimescaleDB (or the embedded database\'s wire port), e.g. postgres://postgres@127.0.0.1:5433/postgres', parse: url(['postgres', 'postgresql']) },
  { key: 'connections', env: 'INGEST_CONNECTIONS', flag: '--connections', defaultValue: '32', description: 'subscriber connections in the shared-subscription group (each holds one message until its batch commits)', parse: integer(1, 1024) },
  { key: 'group', env: 'INGEST_GROUP', flag: '--group', defaultValue: defaultGroup, description: 'shared-subscription group; all ingest workers of one deployment use the same', parse: idPart },
  { key: 'clientIdPrefix', env: 'INGEST_CLIENT_ID', flag: '--client-id', defaultValue: '', description: 'client ids are <this>-<k>; keep it stable per worker so a restart reclaims its sessions (default <group>-<hostname>)', parse: pattern(/^[A-Za-z0-9_-]{0,60}$/, 'up to 60 letters, digits, "-" or "_"') },
  { key: 'sessionExpirySeconds', env: 'INGEST_SESSION_EXPIRY_S', flag: '--session-expiry-s', defaultValue: '3600', description: 'how long the broker keeps a stopped worker\'s session and queues its share, seconds', parse: integer(0, 30 * 86_400) },
  { key: 'topicPrefix', env: 'TOPIC_PREFIX', flag: '--topic-prefix', defaultValue: 'streetwise', description: 'first level of every MQTT topic', parse: pattern(/^[A-Za-z0-9_-]+$/, 'letters, digits, "-" or "_"') },
  { key: 'batchMaxRows', env: 'INGEST_BATCH_MAX_ROWS', flag: '--batch-max-rows', defaultValue: '500', description: 'largest batch, messages', parse: integer(1, 20_000) },
  { key: 'batchMaxWaitMs', env: 'INGEST_BATCH_MAX_WAIT_MS', flag: '--batch-max-wait-ms', defaultValue: '20', description: 'longest a message waits for its batch to fill, ms', parse: integer(0, 10_000) },
  { key: 'maxBuffered', env: 'INGEST_MAX_BUFFERED', flag: '--max-buffered', defaultValue: '10000', description: 'messages held in memory before ingest stops reading (backpressure)', parse: integer(1, 1_000_000) },
  { key: 'unknownDeviceGraceMs', env: 'INGEST_UNKNOWN_DEVICE_GRACE_MS', flag: '--unknown-device-grace-ms', defaultValue: '2000', description: 'how long a message from an unregistered device waits for its birth before it is dead-lettered, ms', parse: integer(0, 600_000) },
  { key: 'dbPoolSize', env: 'DB_POOL_SIZE', flag: '--db-pool-size', defaultValue: '2', description: 'database connections (use 1 with the embedded database\'s wire port: it serves one client at a time)', parse: integer(1, 64) },
  { key: 'migrate', env: 'INGEST_MIGRATE', flag: '--migrate', defaultValue: 'true', description: 'apply the database migrations at start (idempotent)', parse: bool },
  { key: 'port', env: 'INGEST_PORT', flag: '--port', defaultValue: '9464', description: 'HTTP port for /metrics and /health (0 = any free port)', parse: integer(0, 65_535) },
  { key: 'host', env: 'INGEST_HOST', flag: '--host', defaultValue: '127.0.0.1', description: 'address /metrics and /health listen on', parse: pattern(/^\S+$/, 'a host name or address') },
  { key: 'logLevel', env: 'LOG_LEVEL', flag: '--log-level', defaultValue: 'info', description: 'log level', parse: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) },
];

export type ParsedIngestSettings = { ok: true; settings: IngestSettings } | { ok: false; help: true } | { ok: false; help: false; problems: string[] };

/** Parse flags (`--port 9465` or `--port=9465`) over the environment; never throws. */
export function parseIngestSettings(argv: readonly string[], env: NodeJS.ProcessEnv): ParsedIngestSettings {
  const problems: string[] = [];
  const fromFlags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return { ok: false, help: true };
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const spec = INGEST_SETTINGS.find((s) => s.flag === flag);
    if (spec === undefined) {
      problems.push(`${arg} | | not a known flag; see --help`);
      continue;
    }
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) problems.push(`${flag} | | needs a value`);
    else fromFlags.set(flag, value);
  }
  const settings: Record<string, unknown> = {};
  for (const spec of INGEST_SETTINGS) {
    const raw = fromFlags.get(spec.flag) ?? env[spec.env] ?? spec.defaultValue;
    if (raw === undefined || (raw === '' && spec.defaultValue === undefined)) {
      problems.push(`${spec.env} | (not set) | required: ${spec.description}`);
      continue;
    }
    if (raw === '' && spec.defaultValue === '') {
      settings[spec.key] = '';
      continue;
    }
    const parsed = spec.parse(raw);
    if (parsed.ok) settings[spec.key] = parsed.value;
    else problems.push(`${spec.env} | ${JSON.stringify(raw).slice(0, 80)} | ${parsed.expected}`);
  }
  if (problems.length > 0) return { ok: false, help: false, problems };
  const result = settings as unknown as IngestSettings;
  if (result.clientIdPrefix === '') result.clientIdPrefix = defaultClientIdPrefix(result.group);
  return { ok: true, settings: result };
}

/** Throwing variant for programs that embed ingest. */
export function requireIngestSettings(argv: readonly string[], env: NodeJS.ProcessEnv): IngestSettings {
  const parsed = parseIngestSettings(argv, env);
  if (parsed.ok) return parsed.settings;
  throw SW_INGEST_SETTINGS_INVALID([parsed.help ? 'help requested' : parsed.problems.join('\n')]);
}

export function ingestHelp(): string {
  const lines = [
    'Streetwise ingest: MQTT → validate → dedupe → batch → commit → ack, as its own process.',
    '',
    'Usage: node ingest/dist/main.js [flags]     (each flag can also be set by its environment variable)',
    '',
  ];
  for (const s of INGEST_SETTINGS) {
    const shown = s.defaultValue === undefined ? 'required' : s.defaultValue === '' ? 'default: see text' : `default ${s.defaultValue}`;
    lines.push(`  ${s.flag.padEnd(28)} ${s.env.padEnd(32)} ${shown}`);
    lines.push(`  ${''.padEnd(28)} ${s.description}`);
  }
  lines.push('', 'GET /metrics (Prometheus) and GET /health (JSON; 200 when broker, database and ingest are up, else 503).');
  return lines.join('\n');
}
