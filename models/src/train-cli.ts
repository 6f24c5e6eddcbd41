#!/usr/bin/env node
/**
 * npm run models:train [-- --smoke] [--seed N] [--out DIR] [--work DIR]
 * Reproduces both models: renders the detector's training and held-out scenes and simulates the
 * forecaster's detector series (simulators/dist/dataset-cli.js), trains each with Debian's
 * /usr/bin/python3 (models/train/*.py), and writes the ONNX files and manifest.json.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { OBJECT_CLASSES } from '@streetwise/protocol';
import { writeManifest, type ModelDescription } from './build-manifest.js';
import { readDetectorDataset } from './detect-dataset.js';
import { detectorFileSettings, scoreDetectorFile } from './detect-score.js';
import { SW_MODEL_FLAG_INVALID, SW_MODEL_PYTHON_MISSING, SW_MODEL_TRAIN_FAILED } from './errors.js';
import { MODELS_DIR } from './manifest.js';
import { ProgressLine } from './progress-line.js';

const REPO_DIR = fileURLToPath(new URL('../../', import.meta.url));
const DATASET_CLI = join(REPO_DIR, 'simulators', 'dist', 'dataset-cli.js');
const TRAIN_DIR = join(MODELS_DIR, 'train');
/** The real METR-LA week (speeds, split.json): the forecaster trains on its "train" sensors. */
const METR_LA_DIR = join(MODELS_DIR, 'data', 'metr-la');
export const DEBIAN_PYTHON = '/usr/bin/python3';

/** Sizes of a full run and of the CI smoke run (which must finish in under two minutes); metrLaSensors 0 = all. */
export const TRAIN_PLANS = {
  full: { trainScenes: 2000, valScenes: 300, detectorSteps: 2500, sites: 24, days: 28, trainDays: 21, forecasterEpochs: 20, metrLaSensors: 0 },
  smoke: { trainScenes: 96, valScenes: 32, detectorSteps: 30, sites: 4, days: 9, trainDays: 7, forecasterEpochs: 2, metrLaSensors: 3 },
} as const;

/** Seeds of the generated data for a run seed (seed 1 gives scenes 101/202 and series 7, as committed). */
export function datasetSeeds(seed: number): { trainScenes: number; valScenes: number; series: number } {
  return { trainScenes: 100 * seed + 1, valScenes: 200 * seed + 2, series: 7 * seed };
}

const HELP = `Usage: npm run models:train -- [options]

Render scenes, simulate detector series, train the detector and the forecaster with Debian's PyTorch
(${DEBIAN_PYTHON}), export ONNX (opset 17) and write manifest.json.

Options:
  --smoke        a tiny run for CI (under 2 minutes); writes to the work directory, not models/
  --seed N       seed of scenes, series and training (default 1)
  --out DIR      where to write the .onnx files and manifest.json (default models/, or the work dir with --smoke)
  --work DIR     scratch directory for datasets (default $TMPDIR/streetwise-train-<seed>[-smoke])
  --threads N    torch threads (default 1: on a busy shared machine one thread is faster than two)
  --manifest-only  skip rendering and training: copy the work dir's detector.onnx and forecaster.onnx
                 (with their *-metrics.json) to --out and write manifest.json
  -h, --help     this help
`;

function run(stage: string, command: string, args: string[], progress: ProgressLine, cwd = REPO_DIR): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let tail = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    let pending = '';
    child.stderr.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const m = /^progress (?:(\w+) )?(\d+) (\d+)(?: (.*))?$/.exec(line);
        if (m) {
          let detail = '';
          if (m[4]) {
            try {
              const extra = JSON.parse(m[4]) as Record<string, unknown>;
              detail = ['loss', 'elapsed_s'].filter((k) => k in extra).map((k) => `${k} ${String(extra[k])}`).join(' ');
            } catch {
              detail = '';
            }
          }
          progress.update(stage, Number(m[2]), Number(m[3]), detail);
        } else if (line.startsWith('log ')) progress.note(`${stage}: ${line.slice(4)}`);
        else if (line.trim() !== '' && !/UserWarning|_C\._jit_pass/.test(line)) tail = `${tail}\n${line}`.slice(-2000);
      }
    });
    child.on('error', (err) => reject(SW_MODEL_TRAIN_FAILED([stage, err.message], { cause: err })));
    child.on('close', (code) => {
      if (code === 0) resolve(stdout);
      else reject(SW_MODEL_TRAIN_FAILED([stage, `exit code ${code}${tail ? `:${tail}` : ''}`]));
    });
  });
}

async function checkPython(progress: ProgressLine): Promise<void> {
  try {
    await run('python', DEBIAN_PYTHON, ['-c', 'import torch, onnx, PIL, numpy'], progress);
  } catch (err) {
    throw SW_MODEL_PYTHON_MISSING([DEBIAN_PYTHON, `${(err as Error).message}; install with: apt-get install python3-torch python3-onnx python3-pil`], { cause: err });
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      smoke: { type: 'boolean', default: false },
      seed: { type: 'string', default: '1' },
      out: { type: 'string' },
      work: { type: 'string' },
      threads: { type: 'string', default: '1' },
      'manifest-only': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const seed = Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0 || seed > 1_000_000) throw SW_MODEL_FLAG_INVALID(['--seed', String(values.seed), 'an integer 0–1000000']);
  const threads = Number(values.threads);
  if (!Number.isInteger(threads) || threads < 1 || threads > 8) throw SW_MODEL_FLAG_INVALID(['--threads', String(values.threads), 'an integer 1–8']);
  const plan = values.smoke ? TRAIN_PLANS.smoke : TRAIN_PLANS.full;
  const work = values.work ?? join(tmpdir(), `streetwise-train-${seed}${values.smoke ? '-smoke' : ''}`);
  const out = values.out ?? (values.smoke ? work : MODELS_DIR);
  await mkdir(work, { recursive: true });
  await mkdir(out, { recursive: true });
  const progress = new ProgressLine();
  const started = Date.now();
  progress.note(`models:train ${values.smoke ? '(smoke) ' : ''}seed ${seed}, work ${work}, out ${out}`);
  const seeds = datasetSeeds(seed);
  const trainDir = join(work, 'scenes-train');
  const valDir = join(work, 'scenes-val');
  const seriesFile = join(work, 'series.csv');
  const detectorFile = join(work, 'detector.onnx');
  const detectorMetrics = join(work, 'detector-metrics.json');
  const forecasterFile = join(work, 'forecaster.onnx');
  const forecasterMetrics = join(work, 'forecaster-metrics.json');
  if (!values['manifest-only']) {
    await checkPython(progress);
    await run('scenes (train)', process.execPath, [DATASET_CLI, 'scenes', '--out', trainDir, '--count', String(plan.trainScenes), '--seed', String(seeds.trainScenes)], progress);
    await run('scenes (held-out)', process.execPath, [DATASET_CLI, 'scenes', '--out', valDir, '--count', String(plan.valScenes), '--seed', String(seeds.valScenes)], progress);
    await run('series', process.execPath, [DATASET_CLI, 'series', '--out', seriesFile, '--sites', String(plan.sites), '--days', String(plan.days), '--seed', String(seeds.series)], progress);

    await run(
      'detector',
      DEBIAN_PYTHON,
      [join(TRAIN_DIR, 'detector.py'), '--data', trainDir, '--val', valDir, '--out', detectorFile, '--metrics', detectorMetrics, '--steps', String(plan.detectorSteps), '--seed', String(seed), '--threads', String(threads)],
      progress,
      TRAIN_DIR,
    );
    await run(
      'forecaster',
      DEBIAN_PYTHON,
      [
        join(TRAIN_DIR, 'forecaster.py'),
        ...['--series', seriesFile, '--metr-la', METR_LA_DIR, '--metr-la-sensors', String(plan.metrLaSensors), '--out', forecasterFile, '--metrics', forecasterMetrics],
        // Next to the model it measures: models/src/forecast/evaluate.test.ts checks the TypeScript evaluation against it.
        ...['--per-sensor', join(out, 'forecaster.metr-la-held-out.json')],
        ...['--train-days', String(plan.trainDays), '--epochs', String(plan.forecasterEpochs), '--seed', String(seed), '--threads', String(threads)],
      ],
      progress,
      TRAIN_DIR,
    );
  }

  const readJson = async (file: string): Promise<Record<string, unknown>> => JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  // The held-out set again, through the letterbox, decoder and NMS the edge agent ships (@streetwise/inference).
  let edgeDecoder: Record<string, unknown> | undefined;
  if (existsSync(join(valDir, 'labels.jsonl'))) {
    progress.note("scoring the detector on the held-out scenes with the edge agent's decoder");
    const shipped = await scoreDetectorFile(detectorFile, readDetectorDataset(valDir));
    const r4 = (x: number) => Math.round(x * 10_000) / 10_000;
    edgeDecoder = {
      map50: r4(shipped.map50),
      per_class: Object.fromEntries(OBJECT_CLASSES.map((c, i) => [c, r4(shipped.ap50[i]!)])),
      at_threshold: { score: 0.35, precision: r4(shipped.precision), recall: r4(shipped.recall) },
    };
  } else {
    progress.note(`no held-out scenes in ${valDir}: the manifest carries the training script's figures only`);
  }
  const models: Array<{ file: string; description: ModelDescription }> = [
    {
      file: detectorFile,
      description: {
        name: 'detector',
        version: values.smoke ? '0.0.0-smoke' : '0.1.0',
        task: 'detect',
        card: 'detector.card.md',
        trainedOn: `${plan.trainScenes} synthetic street scenes rendered by @streetwise/simulators (seed ${seeds.trainScenes}); no real images`,
        classes: ['person', 'bicycle', 'car', 'motorcycle', 'bus', 'truck'],
        settings: await detectorFileSettings(detectorFile),
        roles: ['simulated-scenes'],
        metrics: { ...(await readJson(detectorMetrics)), ...(edgeDecoder ? { edge_decoder: edgeDecoder } : {}) },
      },
    },
    {
      file: forecasterFile,
      description: {
        name: 'forecaster',
        version: values.smoke ? '0.0.0-smoke' : '0.2.0',
        task: 'forecast',
        card: 'forecaster.card.md',
        trainedOn:
          `${plan.sites} simulated loop detectors x ${plan.trainDays} days of 5-minute flow and speed (seed ${seeds.series}), and the real METR-LA week ` +
          `(Los Angeles, 1-7 March 2012, speed only) of the ${plan.metrLaSensors === 0 ? '' : `first ${plan.metrLaSensors} `}"train" sensors of models/data/metr-la/split.json; its "held_out" sensors are never trained on`,
        preprocess: {
          features: 'see inference/src/forecast/features.ts (34 inputs: 12 flows, 12 speeds, time of day, day of week, has_flow, own speed on earlier days at t/+15/+30/+60 min, has_history)',
          outputs: 'flow +15/+30/+60 min, speed +15/+30/+60 min, scaled by the series 95th percentiles',
        },
        metrics: await readJson(forecasterMetrics),
      },
    },
  ];
  const manifest = await writeManifest(out, models);
  for (const m of manifest.models) progress.note(`${m.name} ${m.version}: ${m.file} ${(m.sizeBytes / 1e6).toFixed(2)} MB sha256 ${m.sha256.slice(0, 16)}…`);
  progress.note(`done in ${((Date.now() - started) / 1000).toFixed(0)} s; manifest ${join(out, 'manifest.json')}`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: Error & { code?: string }) => {
    process.stderr.write(`\n${err.code ?? 'error'}: ${err.message}\n`);
    process.exitCode = 1;
  },
);
