#!/usr/bin/env node
/**
 * `npm run bench -- [suite ...] [--json FILE]`: runs the named suites (all when none is named), prints a
 * table per suite and, with --json, writes the results in the format CONTRIBUTING.md describes. Every suite
 * measures its figures against a baseline in the same run.
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';

export interface Figure {
  name: string;
  value: number;
  unit: string;
}
export interface SuiteResult {
  suite: string;
  figures: Figure[];
}
export interface BenchOptions {
  /** Print progress to stderr. */
  progress: (message: string) => void;
}

const SUITES: Record<string, () => Promise<{ run: (options: BenchOptions) => Promise<SuiteResult> }>> = {
  ingest: () => import('./ingest.js'),
  edge: () => import('./edge.js'),
  analytics: () => import('./analytics.js'),
  db: () => import('./db.js'),
  identity: () => import('./identity.js'),
  console: () => import('./console.js'),
};

function parseArgs(argv: string[]): { suites: string[]; json: string | undefined } {
  const suites: string[] = [];
  let json: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--json') json = argv[++i];
    else if (arg.startsWith('--json=')) json = arg.slice('--json='.length);
    else if (arg === '--help' || arg === '-h') {
      console.log(`Usage: npm run bench -- [${Object.keys(SUITES).join('|')} ...] [--json FILE]`);
      process.exit(0);
    } else if (arg in SUITES) suites.push(arg);
    else {
      console.error(`unknown suite "${arg}"; known: ${Object.keys(SUITES).join(', ')}`);
      process.exit(2);
    }
  }
  return { suites: suites.length > 0 ? suites : Object.keys(SUITES), json };
}

function printTable(result: SuiteResult): void {
  const width = Math.max(...result.figures.map((f) => f.name.length), 6);
  console.log(`\n${result.suite}`);
  for (const f of result.figures) console.log(`  ${f.name.padEnd(width)}  ${formatValue(f.value).padStart(12)}  ${f.unit}`);
}

function formatValue(value: number): string {
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(2);
}

const { suites, json } = parseArgs(process.argv.slice(2));
const machine = { cpus: cpus().length, node: process.version };
const results: SuiteResult[] = [];
for (const name of suites) {
  const started = Date.now();
  process.stderr.write(`[bench] ${name}: starting\n`);
  const suite = await SUITES[name]!();
  const result = await suite.run({ progress: (message) => process.stderr.write(`[bench] ${name}: ${message}\n`) });
  process.stderr.write(`[bench] ${name}: done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  printTable(result);
  results.push(result);
}
if (json) {
  const body = results.length === 1 ? { ...results[0], machine } : results.map((r) => ({ ...r, machine }));
  writeFileSync(json, `${JSON.stringify(body, null, 2)}\n`);
  console.log(`\nwrote ${json}`);
}
process.exit(0);
