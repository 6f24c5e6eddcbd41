#!/usr/bin/env node
/**
 * npm run models:eval [-- --scenes DIR] [--count N] [--photos DIR] [--json]
 * Every detector of the manifest on rendered held-out scenes (mAP@0.5) and on real photos (what it found),
 * through the edge agent's letterbox, decoders and NMS (@streetwise/inference), in one table.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareDetectors, comparisonTable } from './detect-compare.js';
import { readDetectorDataset } from './detect-dataset.js';
import { SW_MODEL_FLAG_INVALID, SW_MODEL_TRAIN_FAILED } from './errors.js';
import { readFlags } from './cli-flags.js';

const REPO_DIR = fileURLToPath(new URL('../../', import.meta.url));
const DATASET_CLI = join(REPO_DIR, 'simulators', 'dist', 'dataset-cli.js');
/** The held-out seed models:train scores on (scenes 202). */
const HELD_OUT_SEED = 202;

const HELP = `Usage: npm run models:eval [-- options]

Every detector in models/manifest.json, through the edge agent's own letterbox, decoders and NMS
(@streetwise/inference): mAP@0.5 on rendered held-out scenes (ground truth known) and, on real photos
(no ground truth), which of our classes it found at score 0.25. One markdown table.

Options:
  --scenes DIR      a dataset folder (images/ and labels.jsonl); default: render --count held-out scenes
                    (seed ${HELD_OUT_SEED}) into a temp folder with simulators/dist/dataset-cli.js
  --count N         scenes to render when --scenes is not given (default 60)
  --photos DIR      folder of .jpg photos (default tests/fixtures/photos)
  --manifest FILE   model manifest (default models/manifest.json)
  --json            print JSON instead of the table
  -h, --help        this help
`;

async function main(): Promise<number> {
  const flags = readFlags(
    {
      scenes: { type: 'string' },
      count: { type: 'string' },
      photos: { type: 'string' },
      manifest: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    HELP,
  );
  if ('exitCode' in flags) return flags.exitCode;
  const { values } = flags;
  const count = values.count === undefined ? 60 : Number(values.count);
  if (!(Number.isInteger(count) && count >= 1 && count <= 2000)) throw SW_MODEL_FLAG_INVALID(['--count', String(values.count), 'a whole number of scenes from 1 to 2000']);
  let scenesDir = values.scenes;
  let temp: string | undefined;
  if (!scenesDir) {
    temp = mkdtempSync(join(tmpdir(), 'sw-models-eval-'));
    scenesDir = join(temp, 'scenes');
    process.stderr.write(`rendering ${count} held-out scenes (seed ${HELD_OUT_SEED})…\n`);
    const r = spawnSync(process.execPath, [DATASET_CLI, 'scenes', '--out', scenesDir, '--count', String(count), '--seed', String(HELD_OUT_SEED)], { encoding: 'utf8' });
    if (r.status !== 0) throw SW_MODEL_TRAIN_FAILED(['scenes (held-out)', (r.stderr || r.error?.message || '').slice(-2000)]);
  }
  try {
    const dir = scenesDir;
    const rows = await compareDetectors({
      scenes: () => readDetectorDataset(dir),
      photosDir: values.photos ?? join(REPO_DIR, 'tests', 'fixtures', 'photos'),
      ...(values.manifest ? { manifestPath: values.manifest } : {}),
    });
    process.stdout.write(values.json ? `${JSON.stringify(rows)}\n` : `${comparisonTable(rows)}\n`);
    return 0;
  } finally {
    if (temp) rmSync(temp, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: Error & { code?: string }) => {
    process.stderr.write(`${err.code ?? 'error'}: ${err.message}\n`);
    process.exitCode = 1;
  },
);
