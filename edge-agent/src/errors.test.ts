import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as errors from './errors.js';

const ERRORS_MD = fileURLToPath(new URL('../../docs/errors.md', import.meta.url));

describe('edge-agent error codes', () => {
  const factories = Object.entries(errors);

  it('are exported under their own code, all SW_EDGE_*', () => {
    expect(factories.length).toBeGreaterThan(5);
    for (const [name, factory] of factories) {
      expect(factory.code).toBe(name);
      expect(name).toMatch(/^SW_EDGE_[A-Z_]+$/);
    }
  });

  it('each have a row in docs/errors.md, in the edge-agent section', () => {
    const doc = readFileSync(ERRORS_MD, 'utf8');
    const start = doc.indexOf('\n## edge-agent\n');
    expect(start).toBeGreaterThan(0);
    const next = doc.indexOf('\n## ', start + 5);
    const section = doc.slice(start, next < 0 ? undefined : next);
    for (const [name] of factories) expect(section).toMatch(new RegExp(`^\\| ${name} \\| .+ \\| .+ \\|$`, 'm'));
  });

  it('carry code, message and cause', () => {
    const cause = new Error('ENOENT');
    const err = errors.SW_EDGE_MODEL_LOAD(['/m.onnx', 'ENOENT'], { cause });
    expect(err).toMatchObject({ code: 'SW_EDGE_MODEL_LOAD', cause });
    expect(err.message).toMatch(/^cannot load the model \/m\.onnx: ENOENT\./);
  });
});
