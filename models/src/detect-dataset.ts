import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SW_MODEL_DATASET_INVALID } from './errors.js';
import type { DetectorSample, TruthBox } from './detect-eval.js';

/**
 * Read a detector dataset folder as simulators' dataset CLI writes it (and models/train/detector.py reads it):
 * images/NNNNNN.jpg and labels.jsonl, one line per image:
 * {"file", "boxes": [[classIndex, x1, y1, x2, y2, ignore(0|1)], …]} in input pixels.
 * Images are read one at a time, as the evaluation asks for them.
 */
export async function* readDetectorDataset(dir: string): AsyncGenerator<DetectorSample> {
  const labelsPath = join(dir, 'labels.jsonl');
  let text: string;
  try {
    text = await readFile(labelsPath, 'utf8');
  } catch (err) {
    throw SW_MODEL_DATASET_INVALID([labelsPath, (err as Error).message], { cause: err });
  }
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  for (const [i, line] of lines.entries()) {
    let entry: { file?: unknown; boxes?: unknown };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch (err) {
      throw SW_MODEL_DATASET_INVALID([`${labelsPath} line ${i + 1}`, (err as Error).message], { cause: err });
    }
    const rows = entry.boxes;
    if (typeof entry.file !== 'string' || !Array.isArray(rows) || !rows.every((r) => Array.isArray(r) && r.length === 6 && r.every((v) => typeof v === 'number'))) {
      throw SW_MODEL_DATASET_INVALID([`${labelsPath} line ${i + 1}`, 'expected {"file": "...", "boxes": [[class, x1, y1, x2, y2, ignore], ...]}']);
    }
    const truth: TruthBox[] = (rows as number[][]).map(([classId, x1, y1, x2, y2, ignore]) => ({ classId: classId!, x1: x1!, y1: y1!, x2: x2!, y2: y2!, ignore: ignore === 1 }));
    let data: Buffer;
    try {
      data = await readFile(join(dir, entry.file));
    } catch (err) {
      throw SW_MODEL_DATASET_INVALID([`${labelsPath} line ${i + 1}`, (err as Error).message], { cause: err });
    }
    yield { image: { kind: 'encoded', data }, truth };
  }
}
