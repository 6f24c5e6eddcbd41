import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { Agent } from './agent/agent.js';
import { loadConfigFile, validateConfig } from './config/load.js';
import { formatProblems, type ConfigProblem } from './config/problems.js';
import type { DeviceConfig } from './config/schema.js';
import { isStreetwiseError } from '@streetwise/errors';
import { tuneForSmallCpu } from './pipeline/tuning.js';

export const AGENT_USAGE = `streetwise-edge --config device.yaml|device.json [--check]

  --config  the device configuration (see edge-agent/README.md for every field)
  --check   validate the configuration, print every problem, and exit (0 = valid)
Env: LOG_LEVEL overrides logLevel.`;

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** A config applied remotely (newer configVersion) wins over the file at restart. */
async function appliedOverride(config: DeviceConfig): Promise<DeviceConfig> {
  const path = join(dirname(config.outbox.dir), 'applied-config.json');
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (!text) return config;
  const result = validateConfig(JSON.parse(text));
  return result.ok && result.value.configVersion > config.configVersion ? result.value : config;
}

/** `streetwise-edge --config FILE`: run the agent until SIGINT/SIGTERM. Returns the exit code. */
export async function runAgentCommand(argv: string[], io: CliIo = { out: console.log, err: console.error }, signal?: AbortSignal): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { config: { type: 'string' }, check: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } } });
  if (values.help || !values.config) {
    (values.help ? io.out : io.err)(AGENT_USAGE);
    return values.help ? 0 : 2;
  }
  let config: DeviceConfig;
  try {
    config = await loadConfigFile(values.config);
  } catch (err) {
    if (isStreetwiseError(err, 'SW_EDGE_CONFIG_INVALID')) {
      const problems = (err as unknown as { problems: ConfigProblem[] }).problems;
      io.err(`streetwise-edge: ${values.config} has ${problems.length} problem${problems.length === 1 ? '' : 's'}:`);
      for (const line of formatProblems(problems).split('\n')) io.err(`  ${line}`);
      return 1;
    }
    throw err;
  }
  if (values.check) {
    io.out(`${values.config}: valid (device ${config.device.id}, ${Object.keys(config.cameras).length} cameras, ${config.sensors.length} sensors)`);
    return 0;
  }
  config = await appliedOverride(config);
  tuneForSmallCpu();
  const logger = pino({ level: process.env.LOG_LEVEL ?? config.logLevel });
  const agent = await Agent.create(config, { logger });
  agent.start();
  logger.info({ device: config.device.id, cameras: Object.keys(config.cameras), model: agent.modelVersion }, 'streetwise-edge started');
  await new Promise<void>((resolve) => {
    const done = () => resolve();
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
    signal?.addEventListener('abort', done);
  });
  logger.info('stopping');
  await agent.stop();
  return 0;
}
