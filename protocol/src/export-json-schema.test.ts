import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonSchemaFiles } from './export-json-schema.js';

describe('generated JSON Schema files', () => {
  it('are up to date with schemas.ts (run `npm run schemas` after changing a schema)', () => {
    const dir = join(import.meta.dirname, '..', 'schemas');
    for (const [name, text] of Object.entries(jsonSchemaFiles())) {
      expect(readFileSync(join(dir, name), 'utf8'), name).toBe(text);
    }
  });
});
