import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateMessage, describeInvalid } from './validate.js';
import type { MessageKind } from './topics.js';

describe('protocol/README.md examples', () => {
  const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
  const examples = [...readme.matchAll(/### (\w+)[^\n]*\n```json\n([^\n]+)\n```/g)].map((m) => ({ kind: m[1] as MessageKind, json: m[2]! }));

  it('has one example of each message kind', () => {
    expect(examples.map((e) => e.kind).sort()).toEqual(['config', 'event', 'health', 'status', 'telemetry']);
  });
  it.each(['status', 'event', 'telemetry', 'health', 'config'] as const)('the %s example is valid', (kind) => {
    const example = examples.find((e) => e.kind === kind)!;
    const value: unknown = JSON.parse(example.json);
    expect(describeInvalid(kind, value)).toBeUndefined();
    expect(validateMessage(kind, value)).toBe(true);
  });
  it('the inline loop-detector telemetry example is valid, with its volume, lanes and published time', () => {
    const inline = [...readme.matchAll(/`(\{"v":1,[^`]+\})`/g)].map((m) => JSON.parse(m[1]!) as Record<string, unknown>);
    const loop = inline.find((m) => 'volume' in m);
    expect(loop).toMatchObject({ volume: 12, lanesValid: 3, lanesInvalid: 0, observedAt: '2024-04-06T13:27:30.000Z' });
    expect(describeInvalid('telemetry', loop)).toBeUndefined();
    expect(describeInvalid('telemetry', { ...loop, lanesValid: 65 })).toMatch(/lanesValid/);
  });
});
