#!/usr/bin/env node
/**
 * Ingest as its own process: MQTT_URL (an MQTT 5 broker) → DATABASE_URL (TimescaleDB, or the embedded
 * database's wire port). Serves /metrics and /health. `--help` lists every setting.
 * SIGTERM/SIGINT: commit what is buffered, ack it, disconnect (the sessions stay for the next start).
 */
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { createServerDatabase, migrate, type Database } from '@streetwise/db';
import { createIngest, type Ingest } from './ingest.js';
import { startOpsServer, type OpsServer } from './http-server.js';
import { ingestHelp, parseIngestSettings } from './settings.js';
import { SW_INGEST_SETTINGS_INVALID } from './errors.js';

async function main(): Promise<number> {
  const parsed = parseIngestSettings(process.argv.slice(2), process.env);
  if (!parsed.ok) {
    if (parsed.help) {
      process.stdout.write(`${ingestHelp()}\n`);
      return 0;
    }
    process.stderr.write(`${SW_INGEST_SETTINGS_INVALID([parsed.problems.map((p) => `  ${p}`).join('\n')]).message}\n\nRun with --help to see every setting.\n`);
    return 2;
  }
  const settings = parsed.settings;
  // Each part binds its own `component` on the root; binding it on a child that has one already would
  // print the key twice (pino repeats bound keys).
  const root = pino({ level: settings.logLevel, base: null });
  const logger = root.child({ component: 'ingest-main' });
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  let db: Database | undefined;
  let ingest: Ingest | undefined;
  let ops: OpsServer | undefined;
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    try {
      await ingest?.stop();
      await ops?.close();
      await db?.close();
    } finally {
      process.exit(0);
    }
  };

  try {
    db = await createServerDatabase({ connectionString: settings.databaseUrl, max: settings.dbPoolSize, requireTimescale: settings.requireTimescale, logger: root });
    if (settings.migrate) await migrate(db, { logger: root.child({ component: 'migrate' }) });
    ingest = createIngest({
      db,
      transport: {
        kind: 'mqtt',
        url: settings.mqttUrl,
        connections: settings.connections,
        inFlightPerConnection: settings.inFlightPerConnection,
        group: settings.group,
        clientIdPrefix: settings.clientIdPrefix,
        sessionExpirySeconds: settings.sessionExpirySeconds,
        ...(settings.mqttUsername ? { username: settings.mqttUsername } : {}),
        ...(settings.mqttPasswordFile ? { password: readFileSync(settings.mqttPasswordFile, 'utf8').trim() } : {}),
      },
      prefix: settings.topicPrefix,
      batch: { maxRows: settings.batchMaxRows, maxWaitMs: settings.batchMaxWaitMs, maxBuffered: settings.maxBuffered },
      unknownDeviceGraceMs: settings.unknownDeviceGraceMs,
      logger: root.child({ component: 'ingest' }),
      registry,
    });
    ops = await startOpsServer(settings.port, settings.host, registry, ingest.health.bind(ingest));
    await ingest.start();
    process.on('SIGTERM', () => void stop('SIGTERM'));
    process.on('SIGINT', () => void stop('SIGINT'));
    // One line on stdout that tools (and tests) can wait for.
    process.stdout.write(`${JSON.stringify({ ready: true, pid: process.pid, opsUrl: ops.url })}\n`);
    logger.info({ opsUrl: ops.url, mqttUrl: settings.mqttUrl, connections: settings.connections, inFlightPerConnection: settings.inFlightPerConnection }, 'ingest running');
    return -1;
  } catch (err) {
    logger.fatal({ err }, 'ingest could not start');
    process.stderr.write(`${(err as Error).message}\n`);
    await ingest?.stop().catch(() => undefined);
    await ops?.close().catch(() => undefined);
    await db?.close().catch(() => undefined);
    return 1;
  }
}

main().then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    process.stderr.write(`${String((err as Error)?.stack ?? err)}\n`);
    process.exit(1);
  },
);
