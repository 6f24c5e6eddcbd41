#!/usr/bin/env node
/**
 * Internal data tool for model training (models/src/train-cli.ts runs it):
 *   node simulators/dist/dataset-cli.js scenes --out DIR --count N --seed S
 *   node simulators/dist/dataset-cli.js series --out FILE.csv --sites N --days D --seed S [--start ISO]
 * Progress goes to stderr as "progress <done> <total>" lines.
 */
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { buildCity, selectSites } from './city/city.js';
import { SW_SIM_FLAG_INVALID } from './errors.js';
import { exportDetectorDataset } from './scenes/dataset.js';
import { simulateSeries } from './traffic/series.js';

function int(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw SW_SIM_FLAG_INVALID([`--${name}`, value, `an integer ${min}–${max}`]);
  return n;
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      count: { type: 'string' },
      seed: { type: 'string' },
      sites: { type: 'string' },
      days: { type: 'string' },
      start: { type: 'string' },
    },
  });
  const command = positionals[0];
  const out = values.out;
  if (!out) throw SW_SIM_FLAG_INVALID(['--out', 'missing', 'an output path']);
  const seed = int('seed', values.seed, 1, 0, 2 ** 31);
  let lastShown = 0;
  const progress = (done: number, total: number): void => {
    if (done === total || Date.now() - lastShown > 500) {
      lastShown = Date.now();
      process.stderr.write(`progress ${done} ${total}\n`);
    }
  };
  if (command === 'scenes') {
    const summary = await exportDetectorDataset({ outDir: out, count: int('count', values.count, 100, 1, 100_000), seed, onProgress: progress });
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } else if (command === 'series') {
    const city = buildCity({ seed });
    const loops = selectSites(city, 1000).filter((s) => s.kind === 'loop_detector');
    const sites = loops.slice(0, int('sites', values.sites, 20, 1, loops.length));
    const days = int('days', values.days, 28, 1, 365);
    // Default start: Monday 2025-01-06 00:00 Hong Kong time.
    const startMs = values.start ? Date.parse(values.start) : Date.UTC(2025, 0, 5, 16, 0);
    if (Number.isNaN(startMs)) throw SW_SIM_FLAG_INVALID(['--start', values.start ?? '', 'an ISO 8601 date-time']);
    const stream = createWriteStream(out);
    stream.write('site,timestamp,flow,speed,capacity_vph,free_flow_kmh\n');
    sites.forEach((site, i) => {
      for (const p of simulateSeries(site, startMs, days * 288, seed)) {
        stream.write(`${site.id},${new Date(p.timeMs).toISOString()},${p.flow},${p.speedKmh},${site.lanes * site.capacityVphPerLane},${site.freeFlowKmh}\n`);
      }
      progress(i + 1, sites.length);
    });
    await new Promise<void>((resolve, reject) => stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
    process.stdout.write(`${JSON.stringify({ sites: sites.length, days, rows: sites.length * days * 288 })}\n`);
  } else {
    throw SW_SIM_FLAG_INVALID(['command', String(command), '"scenes" or "series"']);
  }
}

main().catch((err: Error & { code?: string }) => {
  process.stderr.write(`${err.code ?? 'error'}: ${err.message}\n`);
  process.exitCode = 1;
});
