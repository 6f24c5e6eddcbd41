#!/usr/bin/env node
/**
 * `npm run bench -- [suite ...] [--json FILE]`: runs the named suites (all when none is named) and prints ONE
 * table: suite, figure, value, baseline (the figure it is compared to in the same run), ratio, goal, met?.
 * With --json, writes the same rows and the machine they ran on (format in CONTRIBUTING.md); --markdown, the
 * table as markdown (the README's Benchmarks section). Every suite
 * measures its figures against a baseline in the same run; its goals live in the suite (GOALS).
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { judge, type Goal, type JudgedFigure, type SuiteGoals } from './goals.js';
import { markdownTable, printTable } from './table.js';

export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** The figure of the same suite this one is compared to (when its goal names none). */
  baseline?: string;
  /** Overrides the suite's GOALS entry. */
  goal?: Goal;
}
export interface SuiteResult {
  suite: string;
  figures: Figure[];
}
export interface BenchOptions {
  /** Print progress to stderr. */
  progress: (message: string) => void;
}
interface SuiteModule {
  run: (options: BenchOptions) => Promise<SuiteResult>;
  GOALS?: SuiteGoals;
}

const SUITES: Record<string, () => Promise<SuiteModule>> = {
  ingest: () => import('./ingest.js'),
  e2e: () => import('./e2e.js'),
  edge: () => import('./edge.js'),
  analytics: () => import('./analytics.js'),
  db: () => import('./db.js'),
  identity: () => import('./identity.js'),
  console: () => import('./console.js'),
};

function parseArgs(argv: string[]): { suites: string[]; json: string | undefined; markdown: string | undefined } {
  const suites: string[] = [];
  let json: string | undefined;
  let markdown: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--json') json = argv[++i];
    else if (arg === '--markdown') markdown = argv[++i];
    else if (arg.startsWith('--json=')) json = arg.slice('--json='.length);
    else if (arg === '--help' || arg === '-h') {
      console.log(`Usage: npm run bench -- [${Object.keys(SUITES).join('|')} ...] [--json FILE] [--markdown FILE]`);
      process.exit(0);
    } else if (arg in SUITES) suites.push(arg);
    else {
      console.error(`unknown suite "${arg}"; known: ${Object.keys(SUITES).join(', ')}`);
      process.exit(2);
    }
  }
  return { suites: suites.length > 0 ? suites : Object.keys(SUITES), json, markdown };
}

const { suites, json, markdown } = parseArgs(process.argv.slice(2));
const machine = () => ({ cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version, loadAvg1m: Number(loadavg()[0]!.toFixed(2)) });
const startMachine = machine();
const rows: JudgedFigure[] = [];
const failed: Array<{ suite: string; error: string }> = [];
for (const name of suites) {
  const started = Date.now();
  process.stderr.write(`[bench] ${name}: starting (load average ${loadavg()[0]!.toFixed(2)})\n`);
  try {
    const suite = await SUITES[name]!();
    const result = await suite.run({ progress: (message) => process.stderr.write(`[bench] ${name}: ${message}\n`) });
    rows.push(...judge(result.suite, result.figures, suite.GOALS));
    process.stderr.write(`[bench] ${name}: done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  } catch (err) {
    // One suite failing (a missing model, a busy port) must not lose the others' figures.
    const message = (err as Error).stack ?? String(err);
    process.stderr.write(`[bench] ${name}: FAILED\n${message}\n`);
    failed.push({ suite: name, error: (err as Error).message ?? String(err) });
  }
  // After every suite: a long run stopped part-way keeps what it measured.
  if (json) writeJson(json, false);
}
function writeJson(file: string, complete: boolean): void {
  const now = machine();
  const body = { machine: { ...now, loadAvg1mAtStart: startMachine.loadAvg1m }, at: new Date().toISOString(), suites, complete, figures: rows, failed };
  writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
}
const endMachine = machine();
printTable(rows);
const judged = rows.filter((r) => r.met !== undefined);
console.log(`\n${judged.filter((r) => r.met).length}/${judged.length} goals met; ${endMachine.cpus} × ${endMachine.cpuModel}, node ${endMachine.node}, load average ${startMachine.loadAvg1m} at start, ${endMachine.loadAvg1m} at end`);
for (const f of failed) console.log(`suite ${f.suite} failed: ${f.error}`);
if (json) {
  writeJson(json, true);
  console.log(`wrote ${json}`);
}
if (markdown) {
  const machineLine = `${endMachine.cpus} × ${endMachine.cpuModel}, node ${endMachine.node}, load average (1 min) ${startMachine.loadAvg1m} at start, ${endMachine.loadAvg1m} at end, ${new Date().toISOString().slice(0, 10)}`;
  writeFileSync(markdown, `${markdownTable(rows)}\n\n${machineLine}\n`);
  console.log(`wrote ${markdown}`);
}
process.exit(failed.length > 0 ? 1 : 0);
