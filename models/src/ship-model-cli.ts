#!/usr/bin/env node
/**
 * node models/dist/ship-model-cli.js --onnx FILE [--out DIR]
 * Ship YOLOX-Nano, the detector for real cameras: copy the ONNX file into models/ and write its manifest entry
 * (hash, shapes, COCO classes, settings, role real-camera; see yolox-nano.ts), keeping the other entries.
 */
import { parseArgs } from 'node:util';
import { writeManifest } from './build-manifest.js';
import { detectorFileSettings } from './detect-score.js';
import { SW_MODEL_FLAG_INVALID } from './errors.js';
import { MODELS_DIR } from './manifest.js';
import { YOLOX_NANO, YOLOX_NANO_METRICS } from './yolox-nano.js';

const { values } = parseArgs({ options: { onnx: { type: 'string' }, out: { type: 'string' } } });
if (!values.onnx) throw SW_MODEL_FLAG_INVALID(['--onnx', '(missing)', 'the yolox_nano.onnx file']);
// The settings must load: a fixed 416×416 input and 3549 = 52² + 26² + 13² rows, or this throws.
const settings = await detectorFileSettings(values.onnx, YOLOX_NANO.settings, YOLOX_NANO.classes!.length);
const renamed = `${values.out ?? MODELS_DIR}/yolox-nano.onnx`;
const { copyFile } = await import('node:fs/promises');
await copyFile(values.onnx, renamed);
const manifest = await writeManifest(values.out ?? MODELS_DIR, [{ file: renamed, description: { ...YOLOX_NANO, settings, metrics: YOLOX_NANO_METRICS } }]);
for (const m of manifest.models) process.stdout.write(`${m.name} ${m.version}: ${m.file} ${m.sizeBytes} bytes sha256 ${m.sha256.slice(0, 16)}…${m.roles ? ` roles ${m.roles.join(', ')}` : ''}\n`);
