import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as errors from './errors.js';

const ERRORS_MD = fileURLToPath(new URL('../../docs/errors.md', import.meta.url));

describe('inference error codes', () => {
  const factories = Object.entries(errors);

  it('are exported under their own code, all SW_INFERENCE_*', () => {
    expect(factories.length).toBeGreaterThanOrEqual(4);
    for (const [name, factory] of factories) {
      expect(factory.code).toBe(name);
      expect(name).toMatch(/^SW_INFERENCE_[A-Z_]+$/);
    }
  });

  it('each have a row in docs/errors.md, in the inference section, and no row is left without a code', () => {
    const doc = readFileSync(ERRORS_MD, 'utf8');
    const start = doc.indexOf('\n## inference\n');
    expect(start).toBeGreaterThan(0);
    const next = doc.indexOf('\n## ', start + 5);
    const section = doc.slice(start, next < 0 ? undefined : next);
    for (const [name] of factories) expect(section).toMatch(new RegExp(`^\\| ${name} \\| .+ \\| .+ \\|$`, 'm'));
    const documented = [...section.matchAll(/^\| (SW_INFERENCE_[A-Z_]+) \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(factories.map(([name]) => name).sort());
  });

  it('carry code, message and cause', () => {
    const cause = new Error('boom');
    const err = errors.SW_INFERENCE_SETTINGS_INVALID(['input -> std', '[0,1,1]', 'three positive numbers'], { cause });
    expect(err).toMatchObject({ code: 'SW_INFERENCE_SETTINGS_INVALID', cause });
    expect(err.message).toBe('model settings: input -> std | [0,1,1] | three positive numbers');
  });
});
