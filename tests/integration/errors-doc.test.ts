/**
 * The one check that every error code is unique, exported, and documented: each package's catalogue
 * (its `*_ERRORS` array) against docs/errors.md, where every code has a row in its package's section and
 * every row names a code that exists.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isErrorFactory, type ErrorFactory } from '@streetwise/errors';
import { REPO_ROOT } from '../src/spawn-stack.js';

/** Package, the section of docs/errors.md its codes are in, and the name of its catalogue export. */
const CATALOGUES: Array<{ module: string; section: string; catalogue: string }> = [
  { module: '@streetwise/errors', section: 'api', catalogue: 'API_ERRORS' },
  { module: '@streetwise/protocol', section: 'protocol', catalogue: 'PROTOCOL_ERRORS' },
  { module: '@streetwise/db', section: 'db', catalogue: 'DB_ERRORS' },
  { module: '@streetwise/ingest', section: 'ingest', catalogue: 'INGEST_ERRORS' },
  { module: '@streetwise/identity', section: 'identity', catalogue: 'IDENTITY_ERRORS' },
  { module: '@streetwise/analytics', section: 'analytics', catalogue: 'ANALYTICS_ERRORS' },
  { module: '@streetwise/console', section: 'console', catalogue: 'CONSOLE_ERRORS' },
  { module: '@streetwise/stack', section: 'stack', catalogue: 'STACK_ERRORS' },
  { module: '@streetwise/edge-agent', section: 'edge-agent', catalogue: 'EDGE_ERRORS' },
  { module: '@streetwise/simulators', section: 'simulators', catalogue: 'SIMULATOR_ERRORS' },
  { module: '@streetwise/models', section: 'models', catalogue: 'MODEL_ERRORS' },
  { module: '@streetwise/connectors', section: 'connectors', catalogue: 'CONNECTOR_ERRORS' },
  { module: '@streetwise/inference', section: 'inference', catalogue: 'INFERENCE_ERRORS' },
];

const ROW = /^\|\s*`?(SW_[A-Z0-9_]+)`?\s*\|(.+)\|(.+)\|\s*$/gm;

/** Codes documented per section (`## <name> …` up to the next `## `). */
function documentedBySection(markdown: string): Map<string, string[]> {
  const sections = new Map<string, string[]>();
  for (const part of markdown.split(/^## /m).slice(1)) {
    const name = part.slice(0, part.indexOf('\n')).trim().split(/\s+/)[0] ?? '';
    sections.set(name, [...part.matchAll(ROW)].filter((m) => m[2]!.trim() && m[3]!.trim()).map((m) => m[1]!));
  }
  return sections;
}

describe('error catalogues and docs/errors.md', () => {
  it('every code is unique, exported under its own name, listed in its catalogue, and documented in its section; every documented code exists', async () => {
    const doc = documentedBySection(readFileSync(join(REPO_ROOT, 'docs', 'errors.md'), 'utf8'));
    const seen = new Map<string, string>();
    const problems: string[] = [];
    for (const { module, section, catalogue } of CATALOGUES) {
      const exports = (await import(module)) as Record<string, unknown>;
      const factories = exports[catalogue] as readonly ErrorFactory[] | undefined;
      if (!Array.isArray(factories) || factories.length === 0) {
        problems.push(`${module} exports no ${catalogue}`);
        continue;
      }
      const listed = new Set(factories.map((f) => f.code));
      for (const [name, value] of Object.entries(exports)) {
        if (!isErrorFactory(value)) continue;
        if (value.code !== name) problems.push(`${module} exports ${value.code} as ${name}`);
        if (!listed.has(value.code)) problems.push(`${module} exports ${value.code} but ${catalogue} leaves it out`);
      }
      const documented = doc.get(section);
      if (!documented) problems.push(`docs/errors.md has no "## ${section}" section`);
      for (const factory of factories) {
        const other = seen.get(factory.code);
        if (other) problems.push(`${factory.code} is defined by both ${other} and ${module}`);
        seen.set(factory.code, module);
        if (!documented?.includes(factory.code)) problems.push(`${factory.code} (${module}) has no row in the "## ${section}" section of docs/errors.md`);
      }
      for (const code of documented ?? []) if (!listed.has(code)) problems.push(`docs/errors.md documents ${code} under "## ${section}", but ${catalogue} has no such code`);
    }
    for (const [section, codes] of doc) {
      if (!CATALOGUES.some((c) => c.section === section) && codes.length > 0) problems.push(`docs/errors.md section "## ${section}" belongs to no catalogue`);
    }
    expect(seen.size).toBeGreaterThan(50);
    expect(problems).toEqual([]);
  });
});
