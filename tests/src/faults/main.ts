#!/usr/bin/env node
/**
 * `npm run faults -- [--scale N] [--only a,b] [--json FILE] [--markdown FILE]`: the fault scenarios of the
 * test suite (the same functions the vitest files run at scale 1) at a larger scale, one after another,
 * with progress on stderr and one table at the end: scenario, sent, stored, duplicates, lost, seconds,
 * verdict. Exit 1 if any scenario lost, duplicated or dead-lettered a message or could not run; 2 on bad
 * arguments.
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { FaultArgsError, USAGE, parseFaultArgs, type FaultArgs, type ScenarioName } from './args.js';
import { passed, type FaultScenario } from './scenario.js';
import { markdownTable, textTable, verdict, type FaultRow } from './table.js';

const SCENARIOS: Record<ScenarioName, () => Promise<FaultScenario>> = {
  'broker-restart': async () => (await import('./broker-restart.js')).brokerRestart,
  'device-offline': async () => (await import('./device-offline.js')).deviceOffline,
  'ingest-sigkill': async () => (await import('./ingest-sigkill.js')).ingestSigkill,
  'database-outage': async () => (await import('./database-outage.js')).databaseOutage,
  'console-failover': async () => (await import('./console-failover.js')).consoleFailover,
};

function readArgs(): FaultArgs {
  try {
    const args = parseFaultArgs(process.argv.slice(2));
    if (args.help) {
      console.log(USAGE);
      process.exit(0);
    }
    return args;
  } catch (err) {
    if (!(err instanceof FaultArgsError)) throw err;
    console.error(`npm run faults: ${err.message}\n\n${USAGE}`);
    process.exit(2);
  }
}

const args = readArgs();
const load = (): number => Number(loadavg()[0]!.toFixed(2));
const startedAt = new Date().toISOString();
const loadAtStart = load();
const log = (message: string): void => void process.stderr.write(`[faults] ${message}\n`);
log(`${args.only.length} scenario(s) at scale ${args.scale}: ${args.only.join(', ')}; ${cpus().length} cpus, load average ${loadAtStart}`);

const rows: FaultRow[] = [];
for (const name of args.only) {
  const startedMs = performance.now();
  log(`${name}: starting (load average ${load()})`);
  try {
    const run = await SCENARIOS[name]();
    const result = await run({ scale: args.scale, progress: (message) => log(`${name}: ${message}`) });
    rows.push({ scenario: name, result, seconds: result.seconds });
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    process.stderr.write(`${err instanceof Error ? (err.stack ?? error) : error}\n`);
    rows.push({ scenario: name, error: error.split('\n')[0]!, seconds: (performance.now() - startedMs) / 1000 });
  }
  log(`${name}: ${verdict(rows.at(-1)!)} in ${rows.at(-1)!.seconds.toFixed(0)} s (load average ${load()})`);
}

const loadAtEnd = load();
console.log(`\n${textTable(rows)}\n`);
console.log(`scale ${args.scale}, ${cpus().length} cpus, load average ${loadAtStart} at the start, ${loadAtEnd} at the end`);
for (const row of rows) if (row.result) console.log(`  ${row.scenario}: ${row.result.fault}`);
if (args.json) {
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version, loadAvg1mAtStart: loadAtStart, loadAvg1mAtEnd: loadAtEnd };
  writeFileSync(args.json, `${JSON.stringify({ startedAt, scale: args.scale, machine, scenarios: rows.map((r) => ({ ...(r.result ?? { scenario: r.scenario, error: r.error, seconds: r.seconds }), verdict: verdict(r) })) }, null, 2)}\n`);
  log(`wrote ${args.json}`);
}
if (args.markdown) {
  writeFileSync(args.markdown, `${markdownTable(rows)}\n`);
  log(`wrote ${args.markdown}`);
}
// Some clients (the console's Redis adapter, pg pools) may keep the loop alive a moment after their close: exit now.
process.exit(rows.every((r) => r.result !== undefined && passed(r.result)) ? 0 : 1);
