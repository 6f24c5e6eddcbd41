#!/usr/bin/env node
/**
 * `npm run connect -- td --feed URL|PATH`: the Transport Department feed as protocol v1 devices on any broker,
 * publishing as a gateway credential (username + password file). Runs until Ctrl+C.
 */
import { readFile } from 'node:fs/promises';
import { pino } from 'pino';
import { isStreetwiseError } from '@streetwise/errors';
import { defineSettings, integer, LOG_LEVELS, oneOf, pattern, settingsOrExit, text, url } from '@streetwise/settings';
import { DEFAULT_TD_GATEWAY_ID, startTdGateway } from './publish/td-gateway.js';

export const CONNECT_SETTINGS = defineSettings({
  feed: { env: 'TD_FEED', flag: '--feed', description: 'the feed: an http(s):// URL to poll (rawSpeedVol-all.xml) or a saved snapshot file / folder to replay re-timed to now', parse: text },
  mqttUrl: { env: 'MQTT_URL', flag: '--mqtt-url', defaultValue: 'mqtt://127.0.0.1:1883', description: 'broker to publish to', parse: url(['mqtt', 'mqtts', 'tcp', 'ws', 'wss']) },
  username: { env: 'MQTT_USERNAME', flag: '--username', defaultValue: DEFAULT_TD_GATEWAY_ID, description: 'gateway credential (also the gateway\'s own device id); its scope must hold the detector ids ("AID*", "TDS*") and itself', parse: pattern(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, '1-64 letters, digits, "-" or "_"') },
  passwordFile: { env: 'MQTT_PASSWORD_FILE', flag: '--password-file', description: 'file holding the gateway\'s secret, e.g. data/mqtt-secrets/td-gateway.token (none: a broker without logins)', parse: text },
  caFile: { env: 'MQTT_CA_FILE', flag: '--ca-file', description: 'PEM CA that signed the broker\'s certificate, for mqtts://', parse: text },
  topicPrefix: { env: 'TOPIC_PREFIX', flag: '--topic-prefix', defaultValue: 'streetwise', description: 'first level of every MQTT topic', parse: pattern(/^[A-Za-z0-9_-]+$/, 'letters, digits, "-" or "_"') },
  periodS: { env: 'TD_PERIOD_S', flag: '--period-s', defaultValue: '30', description: 'seconds between polls while all is well (the feed writes every 30 s)', parse: integer(1, 3600) },
  healthIntervalS: { env: 'TD_HEALTH_INTERVAL_S', flag: '--health-interval-s', defaultValue: '30', description: 'seconds between the gateway\'s health messages (feed age, silent detectors)', parse: integer(1, 3600) },
  logLevel: { env: 'LOG_LEVEL', flag: '--log-level', defaultValue: 'info', description: 'log level', parse: oneOf(LOG_LEVELS) },
});

const HELP = (): string =>
  CONNECT_SETTINGS.help(
    'npm run connect -- td --feed URL|PATH [flags]',
    'Publishes the Transport Department\'s traffic feed as protocol v1 devices: a retained birth per detector\n(loop_detector, place, district, road), telemetry per detector and 30-s period (ids from detector and\nperiod end, so a repeat is stored once), "offline" for a detector that stops appearing, and the\ngateway\'s own status and health (feed age, stale and offline detectors). Feeds: td.',
  );

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const [feedName, ...rest] = argv;
  if (feedName === '--help' || feedName === '-h' || feedName === undefined) {
    console.log(HELP());
    return feedName === undefined ? 2 : 0;
  }
  if (feedName !== 'td') {
    console.error(`unknown feed "${feedName}": the feeds are td\n`);
    console.error(HELP());
    return 2;
  }
  const settings = settingsOrExit(CONNECT_SETTINGS.parse(rest, process.env), HELP, 'npm run connect');
  if (settings.feed === undefined) {
    console.error('npm run connect cannot start; fix these settings:\n  feed (TD_FEED, --feed) | (missing) | an http(s):// URL or a snapshot file or folder');
    return 2;
  }
  const logger = pino({ level: settings.logLevel });
  const gateway = await startTdGateway({
    feed: settings.feed,
    mqttUrl: settings.mqttUrl,
    username: settings.username,
    ...(settings.passwordFile ? { password: (await readFile(settings.passwordFile, 'utf8')).trim() } : {}),
    ...(settings.caFile ? { mqtt: { ca: await readFile(settings.caFile) } } : {}),
    prefix: settings.topicPrefix,
    periodS: settings.periodS,
    healthIntervalMs: settings.healthIntervalS * 1000,
    logger,
  });
  logger.info({ feed: settings.feed, mqtt: settings.mqttUrl, gateway: gateway.gatewayId }, 'connector running; Ctrl+C stops it');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await gateway.stop();
  logger.info({ ...gateway.stats() }, 'connector stopped');
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${isStreetwiseError(err) ? `${err.code}: ` : ''}${(err as Error).message}\n`);
    process.exitCode = 1;
  },
);
