import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MESSAGE_SCHEMAS } from './schemas.js';

export const GENERATED_HEADER = 'generated from protocol/src/schemas.ts by `npm run schemas` — do not edit';

/** JSON Schema (draft 2020-12) text of every message kind, keyed by file name. */
export function jsonSchemaFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [kind, schema] of Object.entries(MESSAGE_SCHEMAS)) {
    const doc = {
      $comment: GENERATED_HEADER,
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      ...(JSON.parse(JSON.stringify(schema)) as Record<string, unknown>),
      $id: `https://streetwise.invalid/protocol/v1/${kind}.json`,
    };
    files[`${kind}.json`] = `${JSON.stringify(doc, null, 2)}\n`;
  }
  return files;
}

export const SCHEMA_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'schemas');

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  mkdirSync(SCHEMA_DIR, { recursive: true });
  for (const [name, text] of Object.entries(jsonSchemaFiles())) writeFileSync(join(SCHEMA_DIR, name), text);
  console.log(`wrote ${Object.keys(jsonSchemaFiles()).length} JSON Schema files to ${SCHEMA_DIR}`);
}
