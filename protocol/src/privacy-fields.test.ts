/**
 * PRIVACY.md, DPP1: the protocol has room for an image in one place only, the opt-in `event.snapshot`.
 * Walks the generated JSON Schemas of every uplink message: every object is closed (no field outside the schema),
 * and every string is bounded at 1,024 characters or fewer, except that one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const DIR = fileURLToPath(new URL('../schemas/', import.meta.url));
const LONGEST_TEXT_CHARS = 1024;

type Schema = Record<string, unknown>;

/** Every place where a message could carry a long text or an unplanned field, as a path. */
function openings(schema: unknown, path: string, out: string[]): string[] {
  if (!schema || typeof schema !== 'object') return out;
  const s = schema as Schema;
  if (s.type === 'string' && s.enum === undefined && s.const === undefined && s.format === undefined) {
    // An anchored pattern with bounded repeats only (a UUID, `^[a-z0-9-]{1,64}$`) bounds the length too.
    const boundedPattern = typeof s.pattern === 'string' && /^\^.*\$$/.test(s.pattern) && !/[*+]|\{\d+,\}/.test(s.pattern);
    if (!boundedPattern && (typeof s.maxLength !== 'number' || s.maxLength > LONGEST_TEXT_CHARS)) out.push(`${path}: a string of up to ${String(s.maxLength ?? 'any')} characters`);
  }
  if (s.type === 'object' && s.additionalProperties !== false && s.patternProperties === undefined) {
    const extra = s.additionalProperties;
    if (extra === undefined || extra === true) out.push(`${path}: open to any field`);
  }
  for (const [key, value] of Object.entries(s)) {
    if (key === 'properties' || key === 'patternProperties') {
      for (const [name, sub] of Object.entries(value as Schema)) openings(sub, `${path}.${name}`, out);
    } else if (['items', 'additionalProperties', 'not'].includes(key)) openings(value, `${path}[]`, out);
    else if (['anyOf', 'oneOf', 'allOf', 'prefixItems'].includes(key)) (value as unknown[]).forEach((sub) => openings(sub, path, out));
  }
  return out;
}

describe('protocol messages have no room for an image but the opt-in snapshot', () => {
  it('every object is closed and every string bounded, except event.snapshot', () => {
    // What a device sends (config is a downlink to it).
    const files = readdirSync(DIR).filter((f) => f.endsWith('.json') && f !== 'config.json');
    expect(files.length).toBeGreaterThanOrEqual(4);
    const found = files.flatMap((f) => openings(JSON.parse(readFileSync(join(DIR, f), 'utf8')), f.replace('.json', ''), []));
    expect(found).toEqual(['event.snapshot: a string of up to 49152 characters']);
  });
});
