import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as errors from './errors.js';

const ERRORS_MD = fileURLToPath(new URL('../../docs/errors.md', import.meta.url));

describe('db error codes', () => {
  const factories = Object.entries(errors);

  it('are exported under their own code, all SW_DB_*', () => {
    for (const [name, factory] of factories) {
      expect(factory.code).toBe(name);
      expect(name).toMatch(/^SW_DB_[A-Z_]+$/);
    }
  });

  it('each have a row in docs/errors.md, in the db section', () => {
    const doc = readFileSync(ERRORS_MD, 'utf8');
    const section = doc.slice(doc.indexOf('\n## db\n'));
    expect(section.length).toBeGreaterThan(10);
    for (const [name] of factories) expect(section).toMatch(new RegExp(`^\\| ${name} \\| .+ \\| .+ \\|$`, 'm'));
  });

  it('carry code, message and cause', () => {
    const cause = new Error('boom');
    const err = errors.SW_DB_MIGRATION_FAILED(['0009_x.sql', 'boom'], { cause });
    expect(err).toMatchObject({ code: 'SW_DB_MIGRATION_FAILED', message: 'migration 0009_x.sql failed and was rolled back: boom', cause });
  });
});
