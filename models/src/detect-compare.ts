/**
 * Every detector of the manifest side by side: on rendered held-out scenes (mAP@0.5, with ground truth) and on
 * real photos (no ground truth: which of our classes it finds, how many, at the edge agent's default threshold).
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { OBJECT_CLASSES } from '@streetwise/protocol';
import type { DetectorSample } from './detect-eval.js';
import { openManifestRunner, scoreManifestEntry } from './detect-score.js';
import { loadManifest, MANIFEST_PATH } from './manifest.js';

export interface DetectorComparison {
  name: string;
  roles: string[];
  layout: string;
  scenes: { images: number; map50: number; recall: number; precision: number; ap50: Record<string, number> };
  /** Photo file → our class → boxes found. */
  photos: Record<string, Record<string, number>>;
}

export interface CompareOptions {
  /** Rendered scenes, read anew for each detector. */
  scenes: () => AsyncIterable<DetectorSample> | Iterable<DetectorSample>;
  /** Folder of .jpg photos. */
  photosDir: string;
  /** Score a photo's boxes must reach to count (the edge agent's default, 0.25). */
  photoThreshold?: number;
  manifestPath?: string;
}

export async function compareDetectors(options: CompareOptions): Promise<DetectorComparison[]> {
  const path = options.manifestPath ?? MANIFEST_PATH;
  const threshold = options.photoThreshold ?? 0.25;
  const photos = (await readdir(options.photosDir)).filter((f) => /\.jpe?g$/i.test(f)).sort();
  const out: DetectorComparison[] = [];
  for (const entry of loadManifest(path).models.filter((m) => m.task === 'detect')) {
    const score = await scoreManifestEntry(entry, options.scenes(), { manifestPath: path });
    const { runner, modelClassIds, release } = await openManifestRunner(entry, path);
    const found: DetectorComparison['photos'] = {};
    try {
      const wanted = modelClassIds.filter((id) => id >= 0).map((classId) => ({ classId, threshold }));
      for (const file of photos) {
        const { candidates } = await runner.run(await runner.prepare({ kind: 'encoded', data: await readFile(join(options.photosDir, file)) }), { wanted });
        const counts: Record<string, number> = {};
        for (const c of candidates) {
          const cls = OBJECT_CLASSES[modelClassIds.indexOf(c.classId)]!;
          counts[cls] = (counts[cls] ?? 0) + 1;
        }
        found[basename(file)] = counts;
      }
    } finally {
      await release();
    }
    out.push({
      name: entry.name,
      roles: entry.roles ?? [],
      layout: score.settings.output.layout,
      scenes: { images: score.images, map50: score.map50, recall: score.recall, precision: score.precision, ap50: Object.fromEntries(OBJECT_CLASSES.map((c, i) => [c, score.ap50[i]!])) },
      photos: found,
    });
  }
  return out;
}

const counts = (c: Record<string, number>) =>
  OBJECT_CLASSES.filter((k) => c[k])
    .map((k) => `${k} ${c[k]}`)
    .join(', ') || '—';

/** One markdown table: a column per detector, a row for the scenes and one per photo. */
export function comparisonTable(rows: DetectorComparison[], sceneThreshold = 0.35): string {
  const head = `| | ${rows.map((r) => `\`${r.name}\`${r.roles.length ? ` (${r.roles.join(', ')})` : ''}`).join(' | ')} |`;
  const rule = `|---|${rows.map(() => '---').join('|')}|`;
  const scenes = `| rendered held-out scenes (${rows[0]?.scenes.images ?? 0}): mAP@0.5; recall / precision at ${sceneThreshold} | ${rows
    .map((r) => `**${r.scenes.map50.toFixed(3)}**; ${r.scenes.recall.toFixed(3)} / ${Number.isNaN(r.scenes.precision) ? '—' : r.scenes.precision.toFixed(3)}`)
    .join(' | ')} |`;
  const perClass = `| AP@0.5 per class (${OBJECT_CLASSES.join(', ')}) | ${rows.map((r) => OBJECT_CLASSES.map((c) => (Number.isNaN(r.scenes.ap50[c]) ? '—' : r.scenes.ap50[c]!.toFixed(2))).join(', ')).join(' | ')} |`;
  const photos = Object.keys(rows[0]?.photos ?? {}).map((file) => `| ${file} | ${rows.map((r) => counts(r.photos[file] ?? {})).join(' | ')} |`);
  return [head, rule, scenes, perClass, ...photos].join('\n');
}
