import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorCodes } from '@streetwise/protocol';
import { REPO_ROOT } from '../src/spawn-stack.js';

// Importing each package registers its error codes with protocol's createError.
const PACKAGES = ['@streetwise/db', '@streetwise/ingest', '@streetwise/identity', '@streetwise/console', '@streetwise/stack', '@streetwise/edge-agent', '@streetwise/simulators', '@streetwise/analytics', '@streetwise/models'];

describe('docs/errors.md', () => {
  it('documents every error code, and only codes that exist', async () => {
    for (const name of PACKAGES) await import(name);
    const doc = readFileSync(join(REPO_ROOT, 'docs', 'errors.md'), 'utf8');
    const documented = new Set([...doc.matchAll(/^\|\s*`?(SW_[A-Z0-9_]+)`?\s*\|/gm)].map((m) => m[1]!));
    const defined = [...errorCodes.keys()];
    expect(defined.length).toBeGreaterThan(5);
    expect(defined.filter((code) => !documented.has(code)), 'codes missing from docs/errors.md').toEqual([]);
    expect([...documented].filter((code) => !errorCodes.has(code)), 'documented codes that no package defines').toEqual([]);
  });
});
