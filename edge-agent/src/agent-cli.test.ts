import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { runAgentCommand } from './agent-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'sw-cli-agent-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('streetwise-edge --config prints every problem Frigate-style and exits non-zero; --check passes a good file', async () => {
  const bad = join(dir, 'device.json');
  writeFileSync(bad, JSON.stringify({
    device: { id: 'cam-7' },
    detector: { model: 'm.onnx' },
    cameras: { 'cam-7': { source: { kind: 'images', path: 'f' }, frame: { width: 640, height: 480 }, lines: [{ name: 'a', from: [0, 0], to: [10, 10] }, { name: 'b', from: [0, 0], to: [700, 20] }], zones: [{ name: 'z', polygon: [[0, 0], [10, 0], [10, 10]], classes: ['dog'] }] } },
  }));
  const err: string[] = [];
  const code = await runAgentCommand(['--config', bad], { out: () => {}, err: (l) => err.push(l) });
  expect(code).toBe(1);
  expect(err).toEqual([
    `streetwise-edge: ${bad} has 2 problems:`,
    '  device -> location | (missing) | missing: this field is required',
    '  cameras -> cam-7 -> zones -> 0 -> classes -> 0 | "dog" | expected one of person, bicycle, car, motorcycle, bus, truck',
  ]);
  // Schema problems come first; once they are fixed the cross-field checks run.
  const fixed = { ...JSON.parse(readFileSync(bad, 'utf8')), device: { id: 'cam-7', location: { lat: 1, lon: 2 } } };
  fixed.cameras['cam-7'].zones[0].classes = ['person'];
  writeFileSync(bad, JSON.stringify(fixed));
  err.length = 0;
  expect(await runAgentCommand(['--config', bad], { out: () => {}, err: (l) => err.push(l) })).toBe(1);
  expect(err[1]).toBe('  cameras -> cam-7 -> lines -> 1 -> to | [700,20] | point is outside the 640×480 frame');
  fixed.cameras['cam-7'].lines[1].to = [600, 20];
  writeFileSync(bad, JSON.stringify(fixed));
  const out: string[] = [];
  expect(await runAgentCommand(['--config', bad, '--check'], { out: (l) => out.push(l), err: () => {} })).toBe(0);
  expect(out[0]).toMatch(/valid \(device cam-7, 1 cameras, 0 sensors\)/);
  expect(await runAgentCommand([], { out: () => {}, err: () => {} })).toBe(2);
});

