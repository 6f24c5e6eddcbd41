#!/usr/bin/env node
/** The console as its own process, for scaling out: several nodes behind a load balancer share REDIS_URL. */
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { createServerDatabase } from '@streetwise/db';
import { defineSettings, integer, LOG_LEVELS, oneOf, pattern, settingsOrExit, text, url } from '@streetwise/settings';
import { build } from './app.js';
import { ACCOUNT_SETTINGS, accountsOptionsFrom } from './accounts/account-settings.js';
import { ensureFirstAdmin } from './accounts/bootstrap-admin.js';
import { DESK_SETTINGS, deskOptionsFrom, deskSettingProblems } from './desk/desk-settings.js';
import { LIVE_SETTINGS } from './live/live-settings.js';
import { downlinkOptionsFrom, FLEET_SETTINGS } from './fleet/fleet-settings.js';
import { listen } from './server.js';

const SETTINGS = defineSettings({
  port: { env: 'PORT', flag: '--port', defaultValue: '3000', description: 'HTTP port (0 = any free port)', parse: integer(0, 65535) },
  host: { env: 'HOST', flag: '--host', defaultValue: '127.0.0.1', description: 'address to listen on', parse: text },
  databaseUrl: { env: 'DATABASE_URL', flag: '--database-url', required: true, description: 'TimescaleDB server, e.g. postgres://user@host/db', parse: url(['postgres', 'postgresql']) },
  dbPoolSize: { env: 'DB_POOL_SIZE', flag: '--db-pool-size', defaultValue: '10', description: 'database connections (1 for the embedded database\'s wire port)', parse: integer(1, 100) },
  httpsCert: { env: 'HTTPS_CERT', flag: '--https-cert', description: 'PEM certificate (chain) file; with HTTPS_KEY the console serves HTTPS only', parse: text },
  httpsKey: { env: 'HTTPS_KEY', flag: '--https-key', description: 'PEM private key file of HTTPS_CERT', parse: text },
  redisUrl: { env: 'REDIS_URL', flag: '--redis-url', description: 'Redis for the socket.io adapter, to join several console nodes', parse: url(['redis', 'rediss']) },
  logLevel: { env: 'LOG_LEVEL', flag: '--log-level', defaultValue: 'info', description: 'log level', parse: oneOf(LOG_LEVELS) },
  mqttUrl: { env: 'MQTT_URL', flag: '--mqtt-url', description: 'the devices\' MQTT broker, to publish the fleet view\'s config pushes (as DOWNLINK_USER); without it pushes answer 503', parse: url(['mqtt', 'mqtts', 'tcp', 'ws', 'wss']) },
  topicPrefix: { env: 'TOPIC_PREFIX', flag: '--topic-prefix', defaultValue: 'streetwise', description: 'first level of every MQTT topic', parse: pattern(/^[A-Za-z0-9_-]+$/, 'letters, digits, "-" or "_"') },
  ...ACCOUNT_SETTINGS,
  ...DESK_SETTINGS,
  ...LIVE_SETTINGS,
  ...FLEET_SETTINGS,
});

const parsed = SETTINGS.parse(process.argv.slice(2), process.env);
// Settings that are wrong together (a webhook without its secret) are reported like a bad value.
const together = parsed.ok ? deskSettingProblems(parsed.settings) : [];
const settings = settingsOrExit(
  together.length > 0 ? { ok: false, help: false, problems: together } : parsed,
  () => SETTINGS.help('node console/dist/main.js [flags]', 'Serves the operators\' console and API from a TimescaleDB server.'),
  'streetwise-console',
);
const logger = pino({ level: settings.logLevel });
const db = await createServerDatabase({ connectionString: settings.databaseUrl, max: settings.dbPoolSize, logger });
const https = settings.httpsCert && settings.httpsKey ? { cert: readFileSync(settings.httpsCert), key: readFileSync(settings.httpsKey) } : undefined;
// The database's migrations are the stack's job (or the operator's); this node only serves.
await ensureFirstAdmin(db, { adminUser: settings.adminUser, adminPassword: settings.adminPassword });
const app = await build({
  db,
  logger: logger.child({ component: 'console' }),
  accounts: accountsOptionsFrom(settings),
  desk: deskOptionsFrom(settings),
  catchUpOverlapS: settings.catchUpOverlapS,
  ...(settings.mqttUrl ? { downlink: downlinkOptionsFrom(settings, settings.mqttUrl, settings.topicPrefix) } : {}),
  ...(settings.redisUrl ? { redisUrl: settings.redisUrl } : {}),
  ...(https ? { https } : {}),
});
const { url: consoleUrl } = await listen(app, settings.port, settings.host);
logger.info({ url: consoleUrl }, 'console listening');
const shutdown = () => {
  void app
    .close()
    .then(() => db.close())
    .then(() => process.exit(0));
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
