import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDatabase, migrate, MEMORY_DATA_DIR, startPolicyRunner, type Database } from '@streetwise/db';
import { createCredentialCache, ensureServiceCredentials, installIdentityHooks } from '@streetwise/identity';
import { createIngest } from '@streetwise/ingest';
import { accountsOptionsFrom, build, deskOptionsFrom, downlinkOptionsFrom, ensureFirstAdmin, listen, type DownlinkOptions } from '@streetwise/console';
import { startFleet } from '@streetwise/simulators';
import { ForecastJob } from '@streetwise/analytics';
import { startTdGateway } from '@streetwise/connectors';
import { startEmbeddedBroker, type EmbeddedBroker } from './broker.js';
import type { StackSettings } from './settings.js';
import { SW_HTTP_PORT_IN_USE, SW_HTTPS_FILES, SW_MQTT_TLS_REQUIRED } from './errors.js';

/** The simulated fleet's gateway credential and the console's downlink credential, provisioned on first start. */
export const FLEET_GATEWAY = 'fleet-gateway';
export const CONSOLE_DOWNLINK = 'console';
/** The Transport Department connector's gateway: it speaks for the feed's detectors (ids AID… and TDS…) and for itself. */
export const TD_GATEWAY = 'td-gateway';
export const TD_GATEWAY_SCOPE = ['AID*', 'TDS*', TD_GATEWAY];

export interface RunningStack {
  consoleUrl: string;
  mqttUrl: string;
  /** mqtts:// URL of the embedded broker, when TLS is on. */
  mqttTlsUrl: string | undefined;
  /** mqtt:// URL of the embedded broker's plain port (with MQTT_PLAIN=off it refuses every login). */
  mqttPlainUrl: string | undefined;
  /** Wire-protocol port of the embedded database, when embedded. */
  dbPort: number | undefined;
  db: Database;
  stop(): Promise<void>;
}

/**
 * Start every part in dependency order: database (+ migrations, + policy runner when embedded), broker,
 * ingest, console, fleet. If a step fails, what already started is stopped again before the error is thrown.
 */
export async function startStack(settings: StackSettings, logger: Logger): Promise<RunningStack> {
  const stops: Array<{ name: string; stop: () => Promise<void> }> = [];
  const stopAll = async () => {
    for (const { name, stop } of stops.reverse()) {
      try {
        await stop();
      } catch (err) {
        logger.error({ err, component: name }, 'failed to stop cleanly');
      }
    }
    stops.length = 0;
  };
  try {
    const registry = new Registry();
    const startedAt = Date.now();
    const db = await createDatabase({
      ...(settings.databaseUrl ? { databaseUrl: settings.databaseUrl } : {}),
      dataDir: settings.dataDir,
      wirePort: settings.dbPort,
      ...(settings.dbPassword ? { wirePassword: settings.dbPassword } : {}),
      // Parts that name themselves (db-embedded, db-server, db-policies, analytics-forecast, fleet) get the
      // root logger: a second `component` binding would be printed twice (pino repeats bound keys).
      logger,
    });
    stops.push({ name: 'db', stop: () => db.close() });
    await migrate(db, { logger: logger.child({ component: 'migrate' }) });
    if (db.kind === 'embedded') {
      const policies = startPolicyRunner(db, { intervalMs: 60_000, logger });
      stops.push({ name: 'policies', stop: async () => policies.stop() });
    }
    logger.info({ ms: Date.now() - startedAt, kind: db.kind }, 'database ready');
    const firstAdmin = await ensureFirstAdmin(db, { adminUser: settings.adminUser, adminPassword: settings.adminPassword });
    if (firstAdmin.created) logger.info({ username: firstAdmin.username, oneTimePassword: firstAdmin.oneTimePassword }, 'first admin created');
    // Central traffic forecasts every 5 minutes for every device with enough history.
    const forecasts = new ForecastJob({ db, logger });
    forecasts.start();
    stops.push({ name: 'forecast', stop: () => forecasts.stop() });

    const makeIngest = (transport: Parameters<typeof createIngest>[0]['transport']) =>
      createIngest({ db, transport, prefix: settings.topicPrefix, logger: logger.child({ component: 'ingest' }), registry });
    let broker: EmbeddedBroker | undefined;
    let ingest: ReturnType<typeof createIngest>;
    // The stack's own MQTT clients: the simulated fleet (a gateway for "<sim id prefix>-*") and the
    // console's downlinks. Their secrets live under DATA_DIR (0600), never in logs.
    const auth = !settings.mqttUrl && settings.mqttAuth === 'on';
    const serviceTokens = auth
      ? await ensureServiceCredentials(db, settings.dataDir === MEMORY_DATA_DIR ? null : join(settings.dataDir, 'mqtt-secrets'), [
          { id: FLEET_GATEWAY, kind: 'gateway', scope: ['sim-*'] },
          { id: CONSOLE_DOWNLINK, kind: 'downlink' },
          ...(settings.tdFeed ? [{ id: TD_GATEWAY, kind: 'gateway' as const, scope: TD_GATEWAY_SCOPE }] : []),
        ])
      : new Map<string, string>();
    if (settings.mqttUrl) {
      ingest = makeIngest({ kind: 'mqtt', url: settings.mqttUrl });
      await ingest.start();
      stops.push({ name: 'ingest', stop: () => ingest.stop() });
    } else {
      const tls = settings.mqttTlsCert && settings.mqttTlsKey ? { certFile: settings.mqttTlsCert, keyFile: settings.mqttTlsKey, port: settings.mqttTlsPort } : undefined;
      if (settings.mqttPlain === 'off' && tls === undefined) throw SW_MQTT_TLS_REQUIRED();
      broker = await startEmbeddedBroker(
        settings.mqttPort,
        async (aedes) => {
          if (auth) {
            const credentials = await createCredentialCache(db, { logger: logger.child({ component: 'identity' }) });
            stops.push({ name: 'credentials', stop: () => credentials.close() });
            installIdentityHooks(aedes, { credentials, registry, logger: logger.child({ component: 'identity' }), prefix: settings.topicPrefix, requireTls: settings.mqttPlain === 'off' });
          }
          ingest = makeIngest({ kind: 'aedes', aedes, brokerAuthorizes: auth });
          await ingest.start();
          stops.push({ name: 'ingest', stop: () => ingest.stop() });
        },
        // With authentication, MQTT_PLAIN=off keeps the plain port open to refuse (and count) each login on it.
        { ...(tls ? { tls } : {}), plain: settings.mqttPlain === 'on' || auth },
      );
      // Stops run in reverse: ingest commits what it holds before the broker closes.
      stops.splice(stops.length - 1, 0, { name: 'broker', stop: () => broker!.close() });
      logger.info({ url: broker.url, tls: broker.tlsUrl, auth }, 'embedded MQTT broker listening');
    }
    const mqttUrl = settings.mqttUrl ?? (settings.mqttPlain === 'off' ? broker!.tlsUrl! : broker!.url);

    // The fleet view publishes config pushes as the `downlink` credential: on the embedded broker the one
    // provisioned above (its secret never leaves DATA_DIR); on MQTT_URL the DOWNLINK_USER/DOWNLINK_PASSWORD given.
    const downlink: DownlinkOptions = settings.mqttUrl
      ? downlinkOptionsFrom(settings, settings.mqttUrl, settings.topicPrefix)
      : {
          url: mqttUrl,
          prefix: settings.topicPrefix,
          ...(auth ? { username: CONSOLE_DOWNLINK, password: serviceTokens.get(CONSOLE_DOWNLINK)! } : { username: CONSOLE_DOWNLINK }),
          // Its own listener on 127.0.0.1: over TLS the certificate's name is not checked (as for the fleet).
          ...(mqttUrl.startsWith('mqtts:') ? { rejectUnauthorized: false } : {}),
        };
    const https = settings.httpsCert && settings.httpsKey ? readTlsFiles(settings.httpsCert, settings.httpsKey) : undefined;
    const app = await build({
      db,
      ...(https ? { https } : {}),
      registry,
      logger: logger.child({ component: 'console' }),
      accounts: accountsOptionsFrom(settings),
      desk: deskOptionsFrom(settings),
      catchUpOverlapS: settings.catchUpOverlapS,
      downlink,
      ...(settings.redisUrl ? { redisUrl: settings.redisUrl } : {}),
      checks: {
        broker: () => (broker ? (broker.aedes.closed ? { status: 'down' } : { status: 'up' }) : ingest.health().broker),
        ingest: () => ingest.health().ingest,
      },
    });
    stops.push({ name: 'console', stop: () => app.close() });
    const { url: consoleUrl } = await listen(app, settings.port, settings.host).catch((err: NodeJS.ErrnoException) => {
      throw err.code === 'EADDRINUSE' ? SW_HTTP_PORT_IN_USE([settings.port], { cause: err }) : err;
    });
    logger.info({ url: consoleUrl }, 'console listening');

    if (settings.simDevices > 0) {
      const fleetLogin = auth ? { username: FLEET_GATEWAY, password: serviceTokens.get(FLEET_GATEWAY)! } : {};
      // The in-process fleet dials its own listener on 127.0.0.1: over TLS it does not check the certificate's name.
      const fleetTls = mqttUrl.startsWith('mqtts:') ? { rejectUnauthorized: false } : {};
      const fleet = await startFleet({ mqttUrl, devices: settings.simDevices, seed: 1, incidentsPerHour: settings.simIncidentsPerHour, prefix: settings.topicPrefix, logger, mqtt: { ...fleetLogin, ...fleetTls } });
      stops.push({ name: 'fleet', stop: () => fleet.stop() });
      logger.info({ devices: settings.simDevices }, 'simulated fleet started');
    }
    if (settings.tdFeed) {
      const tdLogin = auth ? { username: TD_GATEWAY, password: serviceTokens.get(TD_GATEWAY)! } : { username: TD_GATEWAY };
      const td = await startTdGateway({
        feed: settings.tdFeed,
        mqttUrl,
        ...tdLogin,
        prefix: settings.topicPrefix,
        ...(mqttUrl.startsWith('mqtts:') ? { mqtt: { rejectUnauthorized: false } } : {}),
        logger: logger.child({ component: 'td-connector' }),
      });
      stops.push({ name: 'td-connector', stop: () => td.stop() });
      logger.info({ feed: settings.tdFeed, gateway: td.gatewayId }, 'Transport Department feed connector started');
    }
    const dbPort = 'wirePort' in db && typeof db.wirePort === 'number' ? db.wirePort : undefined;
    return { consoleUrl, mqttUrl, mqttTlsUrl: broker?.tlsUrl, mqttPlainUrl: broker && broker.port > 0 ? `mqtt://127.0.0.1:${broker.port}` : undefined, dbPort, db, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

function readTlsFiles(certFile: string, keyFile: string): { cert: Buffer; key: Buffer } {
  try {
    return { cert: readFileSync(certFile), key: readFileSync(keyFile) };
  } catch (err) {
    throw SW_HTTPS_FILES([certFile, keyFile, (err as Error).message], { cause: err });
  }
}
