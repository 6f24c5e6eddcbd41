import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as errors from './errors.js';

const ERRORS_MD = fileURLToPath(new URL('../../docs/errors.md', import.meta.url));

describe('connectors error codes', () => {
  const factories = Object.entries(errors);

  it('are exported under their own code, all SW_CONNECTOR_*', () => {
    expect(factories.length).toBe(6);
    for (const [name, factory] of factories) {
      expect(factory.code).toBe(name);
      expect(name).toMatch(/^SW_CONNECTOR_[A-Z_]+$/);
    }
  });

  it('each have a row in docs/errors.md, in the connectors section, and no row is left without a code', () => {
    const doc = readFileSync(ERRORS_MD, 'utf8');
    const start = doc.indexOf('\n## connectors\n');
    expect(start).toBeGreaterThan(0);
    const next = doc.indexOf('\n## ', start + 5);
    const section = doc.slice(start, next < 0 ? undefined : next);
    for (const [name] of factories) expect(section).toMatch(new RegExp(`^\\| ${name} \\| .+ \\| .+ \\|$`, 'm'));
    const documented = [...section.matchAll(/^\| (SW_CONNECTOR_[A-Z_]+) \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(factories.map(([name]) => name).sort());
  });

  it('carry code, message and cause', () => {
    const cause = new Error('ECONNREFUSED');
    const err = errors.SW_CONNECTOR_FETCH_FAILED(['hk-td-speed-volume', 'http://127.0.0.1:1/x.xml', 'ECONNREFUSED'], { cause });
    expect(err).toMatchObject({ code: 'SW_CONNECTOR_FETCH_FAILED', cause });
    expect(err.message).toBe('feed hk-td-speed-volume: fetching http://127.0.0.1:1/x.xml failed: ECONNREFUSED');
  });
});
