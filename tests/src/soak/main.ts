#!/usr/bin/env node
/**
 * `npm run soak -- --minutes 30 [--rate 1000] [--warmup 5] [--heap-slope-max 5] [--out DIR] [--devices 200]`:
 * the real stack (embedded broker, ingest, embedded database, console) under a steady load, with an operator
 * signed in in headless Chromium. Every 10 s it samples this process: RSS, the Node heap after a forced GC,
 * event-loop lag. After the warm-up it fits the slopes (heap and RSS per 10 minutes) and writes a table, a
 * PNG plot, the samples (CSV) and the report (JSON) to a folder it names. Exits 3 when the heap slope is
 * above --heap-slope-max (MB per 10 min): the heap after GC should be flat once warm. RSS is reported, not
 * judged: the embedded database's WASM memory grows with the data it holds and never shrinks.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLiveStack } from '../bench/live-stack.js';
import { forcedGc, startSampler, type Sample } from './sampler.js';
import { slope } from './slopes.js';
import { soakSvg, writePlot } from './plot.js';

const INTERVAL_S = 10;
const HELP = `Usage: npm run soak -- [--minutes 30] [--rate 1000] [--warmup 5] [--heap-slope-max 5] [--out DIR] [--devices 200]
  --minutes         how long to run under load
  --rate            events/s in all (one in ten a safety event), from --devices device ids
  --warmup          minutes left out of the slopes
  --heap-slope-max  MB per 10 min of heap after GC above which the soak fails (exit 3)
  --out             folder for report.json, samples.csv, plot.png, report.md (default: a new one under ${tmpdir()})`;

function parseArgs(argv: string[]) {
  const options = { minutes: 30, rate: 1_000, warmup: 5, heapSlopeMax: 5, devices: 200, out: join(tmpdir(), `streetwise-soak-${new Date().toISOString().replace(/[:.]/g, '-')}`) };
  const numeric: Record<string, keyof typeof options> = { '--minutes': 'minutes', '--rate': 'rate', '--warmup': 'warmup', '--heap-slope-max': 'heapSlopeMax', '--devices': 'devices' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      console.log(HELP);
      process.exit(0);
    }
    const key = numeric[arg];
    const value = argv[++i];
    if (arg === '--out' && value) options.out = value;
    else if (key && value !== undefined && Number.isFinite(Number(value)) && Number(value) >= 0) (options[key] as number) = Number(value);
    else {
      console.error(`bad argument ${arg} ${value ?? ''}\n${HELP}`);
      process.exit(2);
    }
  }
  if (options.warmup >= options.minutes) {
    console.error('--warmup must be shorter than --minutes: the slopes are fitted after it');
    process.exit(2);
  }
  return options;
}

const options = parseArgs(process.argv.slice(2));
forcedGc();
mkdirSync(options.out, { recursive: true });
const loadAtStart = loadavg()[0]!;
const log = (message: string) => process.stderr.write(`[soak] ${message}\n`);
log(`starting the stack (${options.devices} devices, console in headless Chromium); load average ${loadAtStart.toFixed(2)}`);
const live = await startLiveStack({ devices: options.devices, gateways: 4 });
let exitCode = 1;
try {
  let stored = 0;
  const unlisten = await live.stack.db.listen('sw_events', (payload) => {
    const body = JSON.parse(payload) as { events?: unknown[]; counts?: Array<[string, string, number]> };
    stored += body.events?.length ?? 0;
    for (const c of body.counts ?? []) stored += Number(c[2]);
  });
  const durationS = options.minutes * 60;
  const load = await live.startLoad(options.rate, 0, 10);
  log(`${options.rate} events/s for ${options.minutes} min, a sample every ${INTERVAL_S} s; writing to ${options.out}`);
  const sampler = startSampler(INTERVAL_S, durationS, () => stored, (s) =>
    log(`${(s.tS / 60).toFixed(1)} min: rss ${s.rssMb.toFixed(0)} MB, heap ${s.heapAfterGcMb.toFixed(1)} MB, lag p99 ${s.loopLagP99Ms.toFixed(0)} ms, ${s.eventsStored} events stored`),
  );
  await sampler.done;
  load.stop();
  const counts = await load.finished;
  await unlisten();
  const samples = sampler.samples;
  const warmupS = options.warmup * 60;
  const heap = slope(samples, (s) => s.heapAfterGcMb, warmupS);
  const rss = slope(samples, (s) => s.rssMb, warmupS);
  const storedSlope = slope(samples, (s) => s.eventsStored, warmupS);
  const expectedSamples = Math.floor(durationS / INTERVAL_S + 1e-9);
  const after = samples.filter((s) => s.tS >= warmupS - 0.5);
  const max = (pick: (s: Sample) => number) => Math.max(...after.map(pick));
  const heapSlopeOk = Number.isFinite(heap.per10Min) && heap.per10Min <= options.heapSlopeMax;
  const report = {
    startedAt: new Date(Date.now() - durationS * 1000).toISOString(),
    minutes: options.minutes,
    warmupMinutes: options.warmup,
    ratePerS: options.rate,
    achievedRatePerS: counts.acked / counts.ackedSeconds,
    eventsPublished: counts.published,
    eventsStored: stored,
    intervalS: INTERVAL_S,
    expectedSamples,
    missingSamples: Math.max(0, expectedSamples - samples.length),
    samples,
    slopes: { heapMbPer10Min: heap.per10Min, rssMbPer10Min: rss.per10Min, eventsStoredPer10Min: storedSlope.per10Min, samplesFitted: heap.samples },
    /** RSS growth per stored event after the warm-up: the database's memory growing with its data. */
    rssBytesPerStoredEvent: (rss.per10Min * 1024 * 1024) / storedSlope.per10Min,
    afterWarmup: { rssMaxMb: max((s) => s.rssMb), heapAfterGcMaxMb: max((s) => s.heapAfterGcMb), loopLagP99MaxMs: max((s) => s.loopLagP99Ms), loopLagMaxMs: max((s) => s.loopLagMaxMs) },
    heapSlopeMaxMbPer10Min: options.heapSlopeMax,
    heapSlopeOk,
    machine: { cpus: cpus().length, node: process.version, loadAvg1mAtStart: loadAtStart, loadAvg1mAtEnd: loadavg()[0]! },
    files: { report: join(options.out, 'report.json'), samples: join(options.out, 'samples.csv'), plot: join(options.out, 'plot.png'), table: join(options.out, 'report.md') },
  };
  const table = [
    '| measure | value |',
    '|---|---|',
    `| heap after GC, slope after warm-up | ${heap.per10Min.toFixed(2)} MB / 10 min (limit ${options.heapSlopeMax}) |`,
    `| RSS, slope after warm-up | ${rss.per10Min.toFixed(1)} MB / 10 min |`,
    `| events stored, after warm-up | ${storedSlope.per10Min.toFixed(0)} / 10 min (${report.rssBytesPerStoredEvent.toFixed(0)} bytes of RSS per event) |`,
    `| RSS max after warm-up | ${report.afterWarmup.rssMaxMb.toFixed(0)} MB |`,
    `| heap after GC max after warm-up | ${report.afterWarmup.heapAfterGcMaxMb.toFixed(1)} MB |`,
    `| event-loop lag p99 (worst 10 s) / max | ${report.afterWarmup.loopLagP99MaxMs.toFixed(0)} ms / ${report.afterWarmup.loopLagMaxMs.toFixed(0)} ms |`,
    `| load | ${report.achievedRatePerS.toFixed(0)} events/s achieved (asked ${options.rate}), ${counts.published} published, ${stored} stored |`,
    `| samples | ${samples.length} of ${expectedSamples} (every ${INTERVAL_S} s) |`,
    `| machine | ${report.machine.cpus} cpus, node ${report.machine.node}, load average ${loadAtStart.toFixed(2)} → ${report.machine.loadAvg1mAtEnd.toFixed(2)} |`,
  ].join('\n');
  const csv = ['t_s,rss_mb,heap_after_gc_mb,loop_lag_p99_ms,loop_lag_max_ms,loop_lag_mean_ms,events_stored', ...samples.map((s) => [s.tS, s.rssMb, s.heapAfterGcMb, s.loopLagP99Ms, s.loopLagMaxMs, s.loopLagMeanMs, s.eventsStored].map((v) => Number(v.toFixed(3))).join(','))].join('\n');
  writeFileSync(report.files.report, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(report.files.samples, `${csv}\n`);
  writeFileSync(report.files.table, `${table}\n`);
  await writePlot(soakSvg(samples, warmupS, durationS, { rss, heap }, `Soak: ${options.rate} events/s for ${options.minutes} min`), report.files.plot);
  console.log(table);
  console.log(`\nwrote ${options.out} (report.json, samples.csv, report.md, plot.png)`);
  if (!heapSlopeOk) console.log(`heap slope ${heap.per10Min.toFixed(2)} MB / 10 min is above the limit ${options.heapSlopeMax}`);
  exitCode = heapSlopeOk ? 0 : 3;
} catch (err) {
  console.error((err as Error).stack ?? String(err));
} finally {
  await live.close();
}
process.exit(exitCode);
