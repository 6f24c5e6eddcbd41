#!/usr/bin/env node
/**
 * npm run models:evaluate -- --scenes DIR [--model FILE.onnx] [--json]
 * Score the detector on a dataset folder through @streetwise/inference — the letterbox, decoder and NMS the
 * edge agent ships — so the figures are those of the deployed code, not of the training script's decoder.
 */
import { OBJECT_CLASSES } from '@streetwise/protocol';
import { readDetectorDataset } from './detect-dataset.js';
import { scoreDetectorFile, scoreManifestDetector } from './detect-score.js';
import { SW_MODEL_FLAG_INVALID } from './errors.js';
import { readFlags } from './cli-flags.js';

const HELP = `Usage: npm run models:evaluate -- --scenes DIR [options]

Score the detector on rendered scenes with the edge agent's own letterbox, decoder and NMS
(@streetwise/inference): recall and precision at a score threshold, AP@0.5 per class, mAP@0.5.

DIR is a dataset folder as \`node simulators/dist/dataset-cli.js scenes --out DIR --count N --seed S\` writes
it (images/ and labels.jsonl); models:train scores its held-out set (seed 202) this way.

Options:
  --scenes DIR      the dataset (required)
  --model FILE      an ONNX detector (default: the manifest's detector, hash and shapes checked)
  --manifest FILE   model manifest (default models/manifest.json)
  --threshold S     score threshold for recall and precision (default 0.35)
  --json            print JSON instead of a table
  -h, --help        this help
`;

async function main(): Promise<number> {
  const flags = readFlags(
    {
      scenes: { type: 'string' },
      model: { type: 'string' },
      manifest: { type: 'string' },
      threshold: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    HELP,
  );
  if ('exitCode' in flags) return flags.exitCode;
  const { values } = flags;
  if (!values.scenes) throw SW_MODEL_FLAG_INVALID(['--scenes', '(missing)', 'a dataset folder with images/ and labels.jsonl']);
  const scoreThreshold = values.threshold === undefined ? 0.35 : Number(values.threshold);
  if (!(scoreThreshold > 0 && scoreThreshold < 1)) throw SW_MODEL_FLAG_INVALID(['--threshold', String(values.threshold), 'a score between 0 and 1']);
  const samples = readDetectorDataset(values.scenes);
  const options = { scoreThreshold };
  const score = values.model ? await scoreDetectorFile(values.model, samples, options) : await scoreManifestDetector(samples, { ...options, ...(values.manifest ? { manifestPath: values.manifest } : {}) });
  if (values.json) {
    process.stdout.write(`${JSON.stringify(score)}\n`);
    return 0;
  }
  process.stdout.write(`${score.images} images, ${score.objects.reduce((a, b) => a + b, 0)} objects; layout ${score.settings.output.layout}\n`);
  process.stdout.write(`at score ≥ ${scoreThreshold}: recall ${score.recall.toFixed(3)}, precision ${score.precision.toFixed(3)}\n`);
  process.stdout.write(`mAP@0.5 ${score.map50.toFixed(3)}\n`);
  score.ap50.forEach((ap, c) => process.stdout.write(`  ${(OBJECT_CLASSES[c] ?? `class ${c}`).padEnd(11)} AP@0.5 ${Number.isNaN(ap) ? '  —  ' : ap.toFixed(3)}  (${score.objects[c]} objects)\n`));
  return 0;
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
