#!/usr/bin/env node
import { pino } from 'pino';
import { isStreetwiseError } from '@streetwise/errors';
import { settingsOrExit } from '@streetwise/settings';
import { deskSettingProblems, mapSettingProblems } from '@streetwise/console';
import { STACK_HELP, STACK_SETTINGS } from './settings.js';
import { startStack } from './stack.js';

const parsed = STACK_SETTINGS.parse(process.argv.slice(2), process.env);
// Settings that are wrong together (a webhook without its secret) are reported like a bad value.
const together = parsed.ok ? [...deskSettingProblems(parsed.settings), ...mapSettingProblems(parsed.settings)] : [];
const settings = settingsOrExit(together.length > 0 ? { ok: false, help: false, problems: together } : parsed, STACK_HELP, 'Streetwise');
const logger = pino({
  level: settings.logLevel,
  ...(process.stdout.isTTY ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss' } } } : {}),
});

try {
  const stack = await startStack(settings, logger);
  logger.info(
    { console: stack.consoleUrl, mqtt: stack.mqttUrl, psql: stack.dbPort ? `psql -h 127.0.0.1 -p ${stack.dbPort} -U postgres` : undefined },
    'Streetwise is running; Ctrl+C stops it',
  );
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    stack.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
} catch (err) {
  if (isStreetwiseError(err)) {
    logger.fatal({ code: err.code }, err.message);
    console.error(`\n${err.code}: ${err.message}`);
  } else {
    logger.fatal({ err }, 'Streetwise failed to start');
  }
  process.exit(1);
}
