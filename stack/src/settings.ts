/**
 * Settings of `npm start`, from the environment or flags (a flag wins). One table: every setting has a
 * default, a one-line description and bounds; all problems are reported at once as
 * `SETTING | value | what is expected`.
 */
export interface StackSettings {
  port: number;
  host: string;
  mqttPort: number;
  mqttUrl: string | undefined;
  databaseUrl: string | undefined;
  dataDir: string;
  dbPort: number;
  dbPassword: string | undefined;
  simDevices: number;
  redisUrl: string | undefined;
  topicPrefix: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

interface SettingSpec {
  key: keyof StackSettings;
  env: string;
  flag: string;
  defaultValue: string | undefined;
  description: string;
  parse: (raw: string) => { ok: true; value: unknown } | { ok: false; expected: string };
}

const integer = (min: number, max: number) => (raw: string) => {
  const n = Number(raw);
  return /^\d+$/.test(raw.trim()) && n >= min && n <= max ? { ok: true as const, value: n } : { ok: false as const, expected: `a whole number from ${min} to ${max}` };
};
const text = (raw: string) => (raw.length > 0 ? { ok: true as const, value: raw } : { ok: false as const, expected: 'a non-empty value' });
const url = (schemes: string[]) => (raw: string) => {
  try {
    const parsed = new URL(raw);
    if (schemes.includes(parsed.protocol.replace(/:$/, ''))) return { ok: true as const, value: raw };
  } catch {
    /* fall through to the error below */
  }
  return { ok: false as const, expected: `a URL starting with ${schemes.map((s) => `${s}://`).join(' or ')}` };
};
const oneOf = (values: readonly string[]) => (raw: string) =>
  values.includes(raw) ? { ok: true as const, value: raw } : { ok: false as const, expected: `one of ${values.join(', ')}` };

export const SETTINGS: readonly SettingSpec[] = [
  { key: 'port', env: 'PORT', flag: '--port', defaultValue: '3000', description: 'console HTTP port (0 = any free port)', parse: integer(0, 65535) },
  { key: 'host', env: 'HOST', flag: '--host', defaultValue: '127.0.0.1', description: 'address the console listens on (0.0.0.0 to serve the network)', parse: text },
  { key: 'mqttPort', env: 'MQTT_PORT', flag: '--mqtt-port', defaultValue: '1883', description: 'embedded MQTT broker port, on 127.0.0.1 (unused with MQTT_URL)', parse: integer(0, 65535) },
  { key: 'mqttUrl', env: 'MQTT_URL', flag: '--mqtt-url', defaultValue: undefined, description: 'use this MQTT broker (Mosquitto, EMQX) instead of the embedded one, e.g. mqtt://127.0.0.1:1883', parse: url(['mqtt', 'mqtts', 'tcp', 'ws', 'wss']) },
  { key: 'databaseUrl', env: 'DATABASE_URL', flag: '--database-url', defaultValue: undefined, description: 'use this TimescaleDB server instead of the embedded database, e.g. postgres://user@host/db', parse: url(['postgres', 'postgresql']) },
  { key: 'dataDir', env: 'DATA_DIR', flag: '--data-dir', defaultValue: './data', description: 'where the embedded database keeps its files', parse: text },
  { key: 'dbPort', env: 'DB_PORT', flag: '--db-port', defaultValue: '5433', description: 'embedded database wire-protocol port on 127.0.0.1, for psql (0 = any free port)', parse: integer(0, 65535) },
  { key: 'dbPassword', env: 'DB_PASSWORD', flag: '--db-password', defaultValue: undefined, description: 'password psql must give to the embedded database (default: none asked)', parse: text },
  { key: 'simDevices', env: 'SIM_DEVICES', flag: '--sim-devices', defaultValue: '50', description: 'simulated devices to run (0 turns the simulated fleet off)', parse: integer(0, 5000) },
  { key: 'redisUrl', env: 'REDIS_URL', flag: '--redis-url', defaultValue: undefined, description: 'Redis for the socket.io adapter when several console nodes run, e.g. redis://127.0.0.1:6379', parse: url(['redis', 'rediss']) },
  { key: 'topicPrefix', env: 'TOPIC_PREFIX', flag: '--topic-prefix', defaultValue: 'streetwise', description: 'first level of every MQTT topic', parse: (raw) => (/^[A-Za-z0-9_-]+$/.test(raw) ? { ok: true, value: raw } : { ok: false, expected: 'letters, digits, "-" or "_"' }) },
  { key: 'logLevel', env: 'LOG_LEVEL', flag: '--log-level', defaultValue: 'info', description: 'log level', parse: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) },
];

export type ParsedSettings = { ok: true; settings: StackSettings } | { ok: false; help: true } | { ok: false; help: false; problems: string[] };

/** Parse flags (`--port 3001` or `--port=3001`) over the environment. */
export function parseSettings(argv: readonly string[], env: NodeJS.ProcessEnv): ParsedSettings {
  const problems: string[] = [];
  const fromFlags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return { ok: false, help: true };
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const spec = SETTINGS.find((s) => s.flag === flag);
    if (!spec) {
      problems.push(`${arg} | | not a known flag; see --help`);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) problems.push(`${flag} | | needs a value`);
    else fromFlags.set(spec.flag, value);
  }
  const settings: Record<string, unknown> = {};
  for (const spec of SETTINGS) {
    const raw = fromFlags.get(spec.flag) ?? (env[spec.env] === '' ? undefined : env[spec.env]) ?? spec.defaultValue;
    if (raw === undefined) {
      settings[spec.key] = undefined;
      continue;
    }
    const parsed = spec.parse(raw);
    if (parsed.ok) settings[spec.key] = parsed.value;
    else problems.push(`${fromFlags.has(spec.flag) ? spec.flag : spec.env} | ${JSON.stringify(raw)} | ${parsed.expected}`);
  }
  if (problems.length > 0) return { ok: false, help: false, problems };
  return { ok: true, settings: settings as unknown as StackSettings };
}

export function helpText(): string {
  const rows = SETTINGS.map((s) => `  ${`${s.env} / ${s.flag}`.padEnd(34)} ${s.description} (default: ${s.defaultValue ?? 'none'})`);
  return [
    'Usage: npm start -- [flags]',
    '',
    'Runs the whole Streetwise system in one process: an MQTT broker, the database (embedded PostgreSQL',
    'with TimescaleDB unless DATABASE_URL is set), ingest, the console server and a simulated fleet.',
    '',
    'Settings (environment variable / flag):',
    ...rows,
  ].join('\n');
}
