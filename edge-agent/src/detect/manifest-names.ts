import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { loadManifest } from '@streetwise/models';

/**
 * Class names for a model without `names` metadata, from a models/manifest.json next to it (the entry whose
 * file is this model). Undefined when there is no manifest or no entry with classes.
 */
export function manifestClassNames(modelPath: string): string[] | undefined {
  const path = join(dirname(modelPath), 'manifest.json');
  if (!existsSync(path)) return undefined;
  const entry = loadManifest(path).models.find((m) => m.file === basename(modelPath));
  return entry?.classes && entry.classes.length > 0 ? [...entry.classes] : undefined;
}
