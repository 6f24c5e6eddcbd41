import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as errors from './errors.js';
import { ANALYTICS_ERRORS, parameterError } from './errors.js';

const ERRORS_MD = fileURLToPath(new URL('../../docs/errors.md', import.meta.url));

describe('analytics error codes', () => {
  const factories = Object.entries(errors).filter(([name]) => name.startsWith('SW_'));

  it('are exported under their own code, all SW_ANALYTICS_*, and listed', () => {
    for (const [name, factory] of factories) {
      expect((factory as { code: string }).code).toBe(name);
      expect(name).toMatch(/^SW_ANALYTICS_[A-Z0-9_]+$/);
    }
    expect(ANALYTICS_ERRORS.map((f) => f.code).sort()).toEqual(factories.map(([n]) => n).sort());
  });

  it('each have a row in docs/errors.md, in the analytics section', () => {
    const doc = readFileSync(ERRORS_MD, 'utf8');
    const section = doc.slice(doc.indexOf('\n## analytics\n'));
    expect(section.length).toBeGreaterThan(10);
    for (const [name] of factories) expect(section).toMatch(new RegExp(`^\\| ${name} \\| .+ \\| .+ \\|$`, 'm'));
  });

  it('request errors name the parameter and carry a 400', () => {
    const err = parameterError(errors.SW_ANALYTICS_UNKNOWN_DISTRICT, 'district', ['Atlantis']);
    expect(err).toMatchObject({ code: 'SW_ANALYTICS_UNKNOWN_DISTRICT', parameter: 'district', statusCode: 400 });
    expect(err.message).toContain('"Atlantis"');
  });
});
