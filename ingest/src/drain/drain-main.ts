#!/usr/bin/env node
/**
 * `npm run ingest:drain -- --client-id ID`: store a dead ingest worker's queued share and end its
 * sessions (drain-sessions.ts says why). One JSON line on stdout is the report.
 */
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { createServerDatabase, type Database } from '@streetwise/db';
import { drainSessions } from './drain-sessions.js';
import { drainHelp, parseDrainSettings } from './drain-settings.js';
import { SW_INGEST_DRAIN_INCOMPLETE, SW_INGEST_SETTINGS_INVALID } from '../errors.js';

async function main(): Promise<number> {
  const parsed = parseDrainSettings(process.argv.slice(2), process.env);
  if (!parsed.ok) {
    if (parsed.help) {
      process.stdout.write(`${drainHelp()}\n`);
      return 0;
    }
    process.stderr.write(`${SW_INGEST_SETTINGS_INVALID([parsed.problems.map((p) => `  ${p}`).join('\n')]).message}\n\nRun with --help to see every setting.\n`);
    return 2;
  }
  const settings = parsed.settings;
  const root = pino({ level: settings.logLevel, base: null });
  let db: Database | undefined;
  try {
    db = await createServerDatabase({ connectionString: settings.databaseUrl, max: settings.dbPoolSize, requireTimescale: settings.requireTimescale, logger: root });
    const report = await drainSessions({
      db,
      transport: {
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
      idleMs: settings.idleMs,
      timeoutMs: settings.timeoutS * 1000,
      logger: root.child({ component: 'ingest-drain' }),
    });
    process.stdout.write(`${JSON.stringify(report)}\n`);
    if (report.outcome === 'drained' && report.sessionsEnded) return 0;
    process.stderr.write(`${SW_INGEST_DRAIN_INCOMPLETE([settings.clientIdPrefix, report.outcome === 'timed_out' ? `messages still arrived after ${settings.timeoutS} s` : 'messages arrived while stopping']).message}\n`);
    return 1;
  } catch (err) {
    root.fatal({ err }, 'drain failed');
    process.stderr.write(`${(err as Error).message}\n`);
    return 1;
  } finally {
    await db?.close().catch(() => undefined);
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${String((err as Error)?.stack ?? err)}\n`);
    process.exit(1);
  },
);
