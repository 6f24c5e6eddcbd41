/**
 * YOLOX-Nano (Megvii, Apache-2.0), the detector for real cameras: its manifest entry. Nothing in its graph
 * says how it wants its frames (no metadata; its output has a YOLOv5 export's shape), so the settings are
 * written here, from the YOLOX source (BGR, 0–255, no mean/std, top-left letterbox padded with 114, raw
 * grid offsets). `node models/dist/ship-model-cli.js yolox-nano FILE` writes the entry.
 */
import type { ModelSettings } from '@streetwise/inference';
import type { ModelDescription } from './build-manifest.js';

/** COCO 2017's 80 detection classes in the usual (contiguous) order: YOLOX's output order. */
export const COCO_CLASSES: readonly string[] = [
  'person', 'bicycle', 'car', 'motorcycle', 'airplane', 'bus', 'train', 'truck', 'boat', 'traffic light',
  'fire hydrant', 'stop sign', 'parking meter', 'bench', 'bird', 'cat', 'dog', 'horse', 'sheep', 'cow',
  'elephant', 'bear', 'zebra', 'giraffe', 'backpack', 'umbrella', 'handbag', 'tie', 'suitcase', 'frisbee',
  'skis', 'snowboard', 'sports ball', 'kite', 'baseball bat', 'baseball glove', 'skateboard', 'surfboard', 'tennis racket', 'bottle',
  'wine glass', 'cup', 'fork', 'knife', 'spoon', 'bowl', 'banana', 'apple', 'sandwich', 'orange',
  'broccoli', 'carrot', 'hot dog', 'pizza', 'donut', 'cake', 'chair', 'couch', 'potted plant', 'bed',
  'dining table', 'toilet', 'tv', 'laptop', 'mouse', 'remote', 'keyboard', 'cell phone', 'microwave', 'oven',
  'toaster', 'sink', 'refrigerator', 'book', 'clock', 'vase', 'scissors', 'teddy bear', 'hair drier', 'toothbrush',
];

export const YOLOX_NANO_SETTINGS: ModelSettings = {
  input: { width: 416, height: 416, channelOrder: 'bgr', pixelRange: '0-255', mean: [0, 0, 0], std: [1, 1, 1], placement: 'top-left', padValue: 114 },
  output: { layout: 'yolox' },
};

export const YOLOX_NANO: Omit<ModelDescription, 'metrics'> = {
  name: 'yolox-nano',
  version: '0.1.1rc0',
  task: 'detect',
  card: 'yolox-nano.card.md',
  trainedOn: 'COCO 2017 train (118k real photographs, 80 classes), by Megvii (YOLOX release 0.1.1rc0); exported to ONNX by Kazuhito00/YOLOX-ONNX-TFLite-Sample',
  classes: [...COCO_CLASSES],
  settings: YOLOX_NANO_SETTINGS,
  roles: ['real-camera'],
};

/** Megvii's figure, and ours measured with `npm run models:eval` (see yolox-nano.card.md). */
export const YOLOX_NANO_METRICS: Record<string, unknown> = {
  coco_val_map50_95_megvii: 0.258,
  rendered_scenes: {
    scenes: 60,
    seed: 202,
    map50: 0.257,
    per_class: { person: 0.26, bicycle: 0.03, car: 0.66, motorcycle: 0.04, bus: 0.47, truck: 0.08 },
    at_threshold: { score: 0.35, precision: 0.813, recall: 0.211 },
    note: 'real-world model on flat rendered sprites; the simulated-scenes detector scored 0.774 on the same scenes',
  },
};
