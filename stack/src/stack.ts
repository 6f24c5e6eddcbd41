import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { createDatabase, migrate, startPolicyRunner, type Database } from '@streetwise/db';
import { createIngest } from '@streetwise/ingest';
import { accountsOptionsFrom, build, ensureFirstAdmin, listen } from '@streetwise/console';
import { startFleet } from '@streetwise/simulators';
import { ForecastJob } from '@streetwise/analytics';
import { startEmbeddedBroker, type EmbeddedBroker } from './broker.js';
import type { StackSettings } from './settings.js';
import { SW_HTTP_PORT_IN_USE } from './errors.js';

export interface RunningStack {
  consoleUrl: string;
  mqttUrl: string;
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
      logger: logger.child({ component: 'db' }),
    });
    stops.push({ name: 'db', stop: () => db.close() });
    await migrate(db, { logger: logger.child({ component: 'migrate' }) });
    if (db.kind === 'embedded') {
      const policies = startPolicyRunner(db, { intervalMs: 60_000, logger: logger.child({ component: 'policies' }) });
      stops.push({ name: 'policies', stop: async () => policies.stop() });
    }
    logger.info({ ms: Date.now() - startedAt, kind: db.kind }, 'database ready');
    const firstAdmin = await ensureFirstAdmin(db, { adminUser: settings.adminUser, adminPassword: settings.adminPassword });
    if (firstAdmin.created) logger.info({ username: firstAdmin.username, oneTimePassword: firstAdmin.oneTimePassword }, 'first admin created');
    // Central traffic forecasts every 5 minutes for every device with enough history.
    const forecasts = new ForecastJob({ db, logger: logger.child({ component: 'forecast' }) });
    forecasts.start();
    stops.push({ name: 'forecast', stop: () => forecasts.stop() });

    const makeIngest = (transport: Parameters<typeof createIngest>[0]['transport']) =>
      createIngest({ db, transport, prefix: settings.topicPrefix, logger: logger.child({ component: 'ingest' }), registry });
    let broker: EmbeddedBroker | undefined;
    let ingest: ReturnType<typeof createIngest>;
    if (settings.mqttUrl) {
      ingest = makeIngest({ kind: 'mqtt', url: settings.mqttUrl });
      await ingest.start();
      stops.push({ name: 'ingest', stop: () => ingest.stop() });
    } else {
      broker = await startEmbeddedBroker(settings.mqttPort, async (aedes) => {
        ingest = makeIngest({ kind: 'aedes', aedes });
        await ingest.start();
        stops.push({ name: 'ingest', stop: () => ingest.stop() });
      });
      // Stops run in reverse: ingest commits what it holds before the broker closes.
      stops.splice(stops.length - 1, 0, { name: 'broker', stop: () => broker!.close() });
      logger.info({ url: broker.url }, 'embedded MQTT broker listening');
    }
    const mqttUrl = settings.mqttUrl ?? broker!.url;

    const app = await build({
      db,
      registry,
      logger: logger.child({ component: 'console' }),
      accounts: accountsOptionsFrom(settings),
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
      const fleet = await startFleet({ mqttUrl, devices: settings.simDevices, seed: 1, prefix: settings.topicPrefix, logger: logger.child({ component: 'fleet' }) });
      stops.push({ name: 'fleet', stop: () => fleet.stop() });
      logger.info({ devices: settings.simDevices }, 'simulated fleet started');
    }
    const dbPort = 'wirePort' in db && typeof db.wirePort === 'number' ? db.wirePort : undefined;
    return { consoleUrl, mqttUrl, dbPort, db, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
