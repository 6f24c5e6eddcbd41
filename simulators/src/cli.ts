#!/usr/bin/env node
/**
 * npm run simulate -- --devices 2000 [--rate 1] [--duration 60] [--drop-every 10 --drop-seconds 5]
 * Runs a simulated fleet (every device through the edge agent's publisher) against a broker, prints a
 * progress line every second and a summary at the end. While it runs, type "drop <deviceId|random> <seconds>"
 * and Enter to cut a device's connection.
 */
import { createInterface } from 'node:readline';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { readFile, writeFile } from 'node:fs/promises';
import { pino } from 'pino';
import { SW_SIM_FLAGS_INVALID } from './errors.js';
import { startLoad, type LoadProgress } from './load/load-run.js';

export const DEFAULT_MQTT_URL = 'mqtt://127.0.0.1:1883';

interface FlagSpec {
  name: string;
  help: string;
  default: string;
  /** Parse and check; return an error sentence when the value is wrong. */
  check?: (value: string) => string | undefined;
}

const number = (min: number, max: number, integer = false) => (v: string) => {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) return `${integer ? 'an integer' : 'a number'} ${min}–${max}`;
  return undefined;
};

export const FLAGS: FlagSpec[] = [
  { name: 'devices', help: 'simulated devices, spread over the 18 districts', default: '50', check: number(1, 100_000, true) },
  { name: 'rate', help: 'telemetry messages per second per device', default: '0.1', check: number(0.001, 50) },
  { name: 'duration', help: 'seconds to run; 0 runs until Ctrl-C', default: '0', check: number(0, 7 * 86_400) },
  { name: 'seed', help: 'seed of the city, traffic and incidents', default: '1', check: number(0, 2 ** 31, true) },
  { name: 'mqtt-url', help: 'broker URL (env MQTT_URL)', default: process.env['MQTT_URL'] ?? DEFAULT_MQTT_URL, check: (v) => (/^(mqtts?|wss?|tcp):\/\/./.test(v) ? undefined : 'an mqtt://, mqtts://, ws:// or wss:// URL') },
  { name: 'username', help: 'MQTT user name: a gateway credential whose scope covers the device ids, e.g. fleet-gateway (env MQTT_USERNAME)', default: process.env['MQTT_USERNAME'] ?? '' },
  { name: 'password-file', help: 'file holding that credential\'s secret, e.g. data/mqtt-secrets/fleet-gateway.token (env MQTT_PASSWORD_FILE)', default: process.env['MQTT_PASSWORD_FILE'] ?? '' },
  { name: 'ca-file', help: 'PEM CA file the broker\'s certificate must chain to, for mqtts://', default: '' },
  { name: 'prefix', help: 'MQTT topic prefix', default: 'streetwise', check: (v) => (/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/.test(v) ? undefined : 'letters, digits, "-", "_" and "/" between levels') },
  { name: 'id-prefix', help: 'prefix of device ids', default: 'sim', check: (v) => (/^[A-Za-z0-9][A-Za-z0-9_-]{0,15}$/.test(v) ? undefined : '1-16 letters, digits, "-" or "_"') },
  { name: 'health-interval', help: 'seconds between health messages', default: '30', check: number(1, 3600) },
  { name: 'incidents-per-hour', help: 'safety incidents per camera per hour', default: '0.5', check: number(0, 60) },
  { name: 'connect-concurrency', help: 'devices connecting at once at start', default: '100', check: number(1, 10_000, true) },
  { name: 'live-cameras', help: 'cameras that render frames and run the real edge agent (detector, tracker, rules); each costs CPU', default: '2', check: number(0, 64, true) },
  { name: 'live-fps', help: 'frames per second of each live camera', default: '2', check: number(0.1, 15) },
  { name: 'stopped-s', help: 'seconds still before a live camera reports a stopped vehicle', default: '20', check: number(1, 3600) },
  { name: 'drop-every', help: 'drop a random device every N seconds (0 = never; turns on --faults)', default: '0', check: number(0, 86_400) },
  { name: 'drop-seconds', help: 'how long each drop lasts, seconds', default: '10', check: number(1, 3600) },
  { name: 'outbox-dir', help: 'keep each device outbox on disk under this directory; none keeps it in memory', default: '' },
  { name: 'summary-json', help: 'write the summary as JSON to this file', default: '' },
  { name: 'log-level', help: 'fatal, error, warn, info, debug', default: 'warn', check: (v) => (['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(v) ? undefined : 'one of fatal, error, warn, info, debug, trace, silent') },
];
const BOOLEAN_FLAGS = [
  { name: 'faults', help: 'route devices through the fault relay so they can be dropped on demand' },
  { name: 'help', help: 'this help' },
];

export function usage(): string {
  const lines = ['Usage: npm run simulate -- [flags]', '', 'Simulated Streetwise fleet: devices across Hong Kong\'s 18 districts, each running the edge agent publisher.', ''];
  for (const f of FLAGS) lines.push(`  --${f.name.padEnd(20)} ${f.help} (default: ${f.default === '' ? 'none' : f.default})`);
  for (const f of BOOLEAN_FLAGS) lines.push(`  --${f.name.padEnd(20)} ${f.help}`);
  lines.push('', 'While running, type "drop <deviceId|random> <seconds>" and Enter to cut a device off (needs --faults).', '');
  return lines.join('\n');
}

/** Parse and check every flag; all problems at once, as "--flag | value | expected". */
export function parseFlags(argv: string[]): { values: Record<string, string>; faults: boolean; help: boolean } {
  const options: ParseArgsConfig['options'] = Object.fromEntries<{ type: 'string' | 'boolean' }>([
    ...FLAGS.map((f) => [f.name, { type: 'string' }] as const),
    ...BOOLEAN_FLAGS.map((f) => [f.name, { type: 'boolean' }] as const),
  ]);
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: false });
  } catch (err) {
    throw SW_SIM_FLAGS_INVALID([(err as Error).message]);
  }
  const raw = parsed.values as Record<string, string | boolean | undefined>;
  const values: Record<string, string> = {};
  const problems: string[] = [];
  for (const f of FLAGS) {
    const v = raw[f.name];
    const value = typeof v === 'string' ? v : f.default;
    const problem = typeof v === 'string' ? f.check?.(value) : undefined;
    if (problem) problems.push(`--${f.name} | ${value} | ${problem}`);
    values[f.name] = value;
  }
  if (problems.length > 0) throw SW_SIM_FLAGS_INVALID([problems.join('\n')]);
  return { values, faults: raw['faults'] === true, help: raw['help'] === true };
}

function progressLine(p: LoadProgress, total: number): string {
  const s = p.stats;
  const frames = s.liveFrames > 0 ? ` | live frames ${s.liveFrames}` : '';
  return `[${p.elapsedS.toFixed(0).padStart(5)} s] devices ${s.connected}/${total} connected | queued ${s.queued.telemetry + s.queued.event} (${p.rateMsgPerS.toFixed(0)}/s) | acked ${s.acked} | pending ${s.pending} | incidents ${s.incidents} | drops ${p.drops}${frames}`;
}

async function main(): Promise<number> {
  let flags;
  try {
    flags = parseFlags(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${usage()}`);
    return 2;
  }
  if (flags.help) {
    process.stdout.write(usage());
    return 0;
  }
  const v = flags.values;
  const devices = Number(v['devices']);
  const logger = pino({ level: v['log-level'] });
  const tty = Boolean(process.stderr.isTTY);
  process.stderr.write(`connecting ${devices} devices to ${v['mqtt-url']} …\n`);
  // A broker that checks credentials (npm start's does): the fleet logs in as a gateway; the secret comes from a file, never a flag.
  const mqtt = {
    ...(v['username'] ? { username: v['username'] } : {}),
    ...(v['password-file'] ? { password: (await readFile(v['password-file'], 'utf8')).trim() } : {}),
    ...(v['ca-file'] ? { ca: await readFile(v['ca-file']) } : {}),
  };
  const run = await startLoad({
    mqtt,
    mqttUrl: v['mqtt-url']!,
    devices,
    ratePerDevice: Number(v['rate']),
    durationS: Number(v['duration']),
    seed: Number(v['seed']),
    prefix: v['prefix']!,
    idPrefix: v['id-prefix']!,
    healthIntervalS: Number(v['health-interval']),
    incidentsPerHour: Number(v['incidents-per-hour']),
    connectConcurrency: Number(v['connect-concurrency']),
    faults: flags.faults,
    liveCameras: Number(v['live-cameras']),
    liveCameraFps: Number(v['live-fps']),
    stoppedS: Number(v['stopped-s']),
    dropEveryS: Number(v['drop-every']),
    dropSeconds: Number(v['drop-seconds']),
    ...(v['outbox-dir'] ? { outboxDir: v['outbox-dir'] } : {}),
    logger,
    onProgress: (p) => process.stderr.write(tty ? `\r\x1b[2K${progressLine(p, devices)}` : `${progressLine(p, devices)}\n`),
  });
  const onSignal = (): void => run.stop();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const input = createInterface({ input: process.stdin, terminal: false });
  input.on('line', (line) => {
    const m = /^\s*drop\s+(\S+)\s+(\d+(?:\.\d+)?)\s*$/.exec(line);
    if (!m) {
      if (line.trim() !== '') process.stderr.write(`\nunknown command "${line.trim()}"; try: drop random 10\n`);
      return;
    }
    try {
      const id = run.drop(m[1]!, Number(m[2]));
      process.stderr.write(`\ndropped ${id} for ${m[2]} s\n`);
    } catch (err) {
      process.stderr.write(`\n${(err as Error).message}\n`);
    }
  });
  const summary = await run.done;
  input.close();
  process.stdin.unref?.();
  process.stderr.write(tty ? '\n' : '');
  process.stdout.write(
    `summary: ${summary.devices} devices for ${summary.durationS} s (connected in ${summary.connectS} s): ${summary.queued} messages queued, ${summary.acked} acked (${summary.ackedPerS}/s), ${summary.pending} pending, ${summary.reconnects} reconnects after ${summary.drops} drops, ${summary.outboxDropped} dropped by full outboxes, ${summary.incidents} incidents\n`,
  );
  if (v['summary-json']) await writeFile(v['summary-json'], `${JSON.stringify(summary, null, 2)}\n`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
    // Open stdin keeps the loop alive after the run; nothing else is left running.
    process.stdin.destroy();
  },
  (err: Error & { code?: string }) => {
    process.stderr.write(`\n${err.code ?? 'error'}: ${err.message}\n`);
    process.exitCode = 1;
    process.stdin.destroy();
  },
);
