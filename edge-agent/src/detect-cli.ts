import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createOnnxDetector } from './detect/onnx-detector.js';
import type { ClassThresholds } from './detect/types.js';

export const DETECT_USAGE = `streetwise-edge detect --model M.onnx IMAGE... [--json] [--threshold 0.25] [--iou 0.45] [--threads 1] [--names a,b,c]

Runs one model on still images and prints the detections (class, score, box in image pixels).
  --model      ONNX detector (YOLOv8/YOLO11 [1,4+nc,N], YOLOv5 [1,N,5+nc] or end-to-end [1,N,6])
  --json       one JSON object per image: {"image", "width", "height", "detections": [...], "timings"}
  --threshold  minimum score for every class (default 0.25)
  --iou        NMS IoU threshold (default 0.45)
  --threads    onnxruntime intra-op threads (default 1)
  --names      class names by index, when the model carries none (default: COCO ids)`;

/** `streetwise-edge detect`: how a user checks a model on a few images before deploying it. */
export async function runDetectCommand(argv: string[], out: (line: string) => void = console.log): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      model: { type: 'string' },
      json: { type: 'boolean', default: false },
      threshold: { type: 'string' },
      iou: { type: 'string' },
      threads: { type: 'string' },
      names: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || !values.model || positionals.length === 0) {
    out(DETECT_USAGE);
    return values.help ? 0 : 2;
  }
  const thresholds: ClassThresholds = values.threshold ? { default: Number(values.threshold) } : {};
  const detector = await createOnnxDetector({
    modelPath: values.model,
    thresholds,
    iouThreshold: values.iou ? Number(values.iou) : undefined,
    threads: values.threads ? Number(values.threads) : 1,
    ...(values.names ? { classNames: values.names.split(',') } : {}),
  });
  try {
    if (!values.json) out(`model ${values.model} (${detector.modelVersion}), input ${detector.inputWidth}×${detector.inputHeight}`);
    for (const image of positionals) {
      const result = await detector.detect({ kind: 'encoded', data: await readFile(image) });
      const detections = result.detections.map((d) => ({ class: d.class, score: round(d.score, 3), box: d.box.map((v) => round(v, 1)) }));
      if (values.json) {
        out(JSON.stringify({ image, width: result.width, height: result.height, layout: detector.layout, detections, timings: mapValues(result.timings, (v) => round(v, 2)) }));
      } else {
        out(`${image}  ${result.width}×${result.height}  ${detections.length} detections  (${round(result.timings.inferMs, 1)} ms inference)`);
        for (const d of detections) out(`  ${d.class.padEnd(10)} ${d.score.toFixed(3)}  [${d.box.join(', ')}]`);
      }
    }
  } finally {
    await detector.dispose();
  }
  return 0;
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;
const mapValues = (o: object, f: (v: number) => number): Record<string, number> =>
  Object.fromEntries(Object.entries(o as Record<string, number>).map(([k, v]) => [k, f(v)]));
