import { ACCOUNT_SETTINGS, DESK_SETTINGS, FLEET_SETTINGS, LIVE_SETTINGS } from '@streetwise/console';
import { defineSettings, integer, LOG_LEVELS, oneOf, pattern, text, url } from '@streetwise/settings';

/** Settings of `npm start` (environment variable or flag; a flag wins). */
export const STACK_SETTINGS = defineSettings({
  port: { env: 'PORT', flag: '--port', defaultValue: '3000', description: 'console HTTP port (0 = any free port)', parse: integer(0, 65535) },
  host: { env: 'HOST', flag: '--host', defaultValue: '127.0.0.1', description: 'address the console listens on (0.0.0.0 to serve the network)', parse: text },
  httpsCert: { env: 'HTTPS_CERT', flag: '--https-cert', description: 'console: PEM certificate (chain) file; with HTTPS_KEY the console serves HTTPS only', parse: text },
  httpsKey: { env: 'HTTPS_KEY', flag: '--https-key', description: 'console: PEM private key file of HTTPS_CERT', parse: text },
  mqttPort: { env: 'MQTT_PORT', flag: '--mqtt-port', defaultValue: '1883', description: 'embedded MQTT broker port, on 127.0.0.1 (unused with MQTT_URL)', parse: integer(0, 65535) },
  mqttUrl: { env: 'MQTT_URL', flag: '--mqtt-url', description: 'use this MQTT broker (Mosquitto, EMQX) instead of the embedded one, e.g. mqtt://127.0.0.1:1883', parse: url(['mqtt', 'mqtts', 'tcp', 'ws', 'wss']) },
  mqttAuth: { env: 'MQTT_AUTH', flag: '--mqtt-auth', defaultValue: 'on', description: 'embedded broker: every client logs in with a credential from the registry (npm run devices); off = anyone who reaches the port', parse: oneOf(['on', 'off'] as const) },
  mqttPlain: { env: 'MQTT_PLAIN', flag: '--mqtt-plain', defaultValue: 'on', description: 'embedded broker: serve plain MQTT on MQTT_PORT; off = TLS only (needs MQTT_TLS_CERT and MQTT_TLS_KEY)', parse: oneOf(['on', 'off'] as const) },
  mqttTlsCert: { env: 'MQTT_TLS_CERT', flag: '--mqtt-tls-cert', description: 'embedded broker: PEM certificate file (chain) for mqtts:// on MQTT_TLS_PORT', parse: text },
  mqttTlsKey: { env: 'MQTT_TLS_KEY', flag: '--mqtt-tls-key', description: 'embedded broker: PEM private key file of MQTT_TLS_CERT', parse: text },
  mqttTlsPort: { env: 'MQTT_TLS_PORT', flag: '--mqtt-tls-port', defaultValue: '8883', description: 'embedded broker: mqtts:// port on MQTT_HOST, used when MQTT_TLS_CERT is set (0 = any free port)', parse: integer(0, 65535) },
  databaseUrl: { env: 'DATABASE_URL', flag: '--database-url', description: 'use this TimescaleDB server instead of the embedded database, e.g. postgres://user@host/db', parse: url(['postgres', 'postgresql']) },
  dataDir: { env: 'DATA_DIR', flag: '--data-dir', defaultValue: './data', description: 'where the embedded database keeps its files', parse: text },
  dbPort: { env: 'DB_PORT', flag: '--db-port', defaultValue: '5433', description: 'embedded database wire-protocol port on 127.0.0.1, for psql (0 = any free port)', parse: integer(0, 65535) },
  dbPassword: { env: 'DB_PASSWORD', flag: '--db-password', description: 'password psql must give to the embedded database (default: none asked)', parse: text },
  simDevices: { env: 'SIM_DEVICES', flag: '--sim-devices', defaultValue: '50', description: 'simulated devices to run (0 turns the simulated fleet off)', parse: integer(0, 5000) },
  simIncidentsPerHour: { env: 'SIM_INCIDENTS_PER_HOUR', flag: '--sim-incidents-per-hour', defaultValue: '6', description: 'simulated safety incidents per camera per hour; a camera has at most one per 10 minutes, so 6 or more means one each 10 minutes (0 = none)', parse: integer(0, 60) },
  tdFeed: { env: 'TD_FEED', flag: '--td-feed', description: "Transport Department traffic feed to run as devices: its URL (polled every 30 s) or a saved snapshot file / folder (replayed re-timed to now); publishes as the td-gateway credential", parse: text },
  redisUrl: { env: 'REDIS_URL', flag: '--redis-url', description: 'Redis for the socket.io adapter when several console nodes run, e.g. redis://127.0.0.1:6379', parse: url(['redis', 'rediss']) },
  topicPrefix: { env: 'TOPIC_PREFIX', flag: '--topic-prefix', defaultValue: 'streetwise', description: 'first level of every MQTT topic', parse: pattern(/^[A-Za-z0-9_-]+$/, 'letters, digits, "-" or "_"') },
  logLevel: { env: 'LOG_LEVEL', flag: '--log-level', defaultValue: 'info', description: 'log level', parse: oneOf(LOG_LEVELS) },
  ...ACCOUNT_SETTINGS,
  ...DESK_SETTINGS,
  ...LIVE_SETTINGS,
  ...FLEET_SETTINGS,
});

export type StackSettings = ReturnType<typeof STACK_SETTINGS.parse> extends infer P ? (P extends { ok: true; settings: infer S } ? S : never) : never;

export const STACK_HELP = () =>
  STACK_SETTINGS.help(
    'npm start -- [flags]',
    'Runs the whole Streetwise system in one process: an MQTT broker, the database (embedded PostgreSQL\nwith TimescaleDB unless DATABASE_URL is set), ingest, the console server and a simulated fleet.',
  );
