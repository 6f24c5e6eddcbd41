import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadConfigFile, validateConfig } from './load.js';
import { formatProblems } from './problems.js';

const dir = mkdtempSync(join(tmpdir(), 'sw-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function goodConfig() {
  return {
    device: { id: 'cam-7', location: { lat: 22.2819, lon: 114.1582 }, name: 'Queen’s Road C / Pottinger St' },
    detector: { model: 'models/detector.onnx', thresholds: { person: 0.4 } },
    cameras: {
      'cam-7': {
        source: { kind: 'images', path: 'frames' },
        frame: { width: 640, height: 480 },
        lines: [
          { name: 'north', from: [0, 300], to: [640, 300], classes: ['car', 'bus'] },
          { name: 'south', from: [0, 200], to: [600, 20] },
        ],
        zones: [{ name: 'crossing', polygon: [[100, 100], [300, 100], [300, 300]], classes: ['person', 'bicycle'], loiterS: 60 }],
        lanes: [{ name: 'lane-1', polygon: [[0, 0], [320, 0], [320, 480], [0, 480]], headingDeg: 0 }],
      },
    },
  };
}

const problemsOf = (raw: unknown) => {
  const r = validateConfig(raw);
  return r.ok ? '' : formatProblems(r.problems);
};

describe('device config', () => {
  it('fills defaults and resolves paths relative to the file', async () => {
    const path = join(dir, 'device.yaml');
    writeFileSync(path, stringify(goodConfig()));
    const config = await loadConfigFile(path);
    expect(config.mqtt).toEqual({ url: 'mqtt://127.0.0.1:1883', prefix: 'streetwise', healthIntervalS: 30, reconnectPeriodMs: 2000 });
    expect(config.outbox).toMatchObject({ dir: join(dir, 'data/outbox'), fsync: 'interval', maxBytes: 16 * 1024 * 1024 });
    expect(config.detector!.model).toBe(join(dir, 'models/detector.onnx'));
    expect(config.cameras['cam-7']!.snapshots.enabled).toBe(false);
    expect(config.cameras['cam-7']!.source).toMatchObject({ fps: 5, loop: true, path: join(dir, 'frames') });
    expect(config.device.kind).toBe('camera');
  });

  it('a detector without a model is valid and stays without one (the agent then loads the real-camera detector)', async () => {
    const path = join(dir, 'no-model.yaml');
    writeFileSync(path, stringify({ ...goodConfig(), detector: { thresholds: { person: 0.4 } } }));
    const config = await loadConfigFile(path);
    expect(config.detector!.model).toBeUndefined();
    expect(config.detector!.modelDir).toBe(join(dir, 'data/models'));
  });

  it('a line outside the frame names the field, the value and the frame', () => {
    const c = goodConfig();
    c.cameras['cam-7'].lines[1]!.to = [700, 20];
    expect(problemsOf(c)).toBe('cameras -> cam-7 -> lines -> 1 -> to | [700,20] | point is outside the 640×480 frame');
  });

  it('detector model settings: overrides of what the graph tells, each field bounded', () => {
    const c = goodConfig() as ReturnType<typeof goodConfig> & { detector: { settings?: unknown } };
    c.detector.settings = { input: { channelOrder: 'bgr', pixelRange: '0-255', placement: 'top-left', mean: [0, 0, 0], std: [1, 1, 1] }, output: { layout: 'yolov5' } };
    expect(problemsOf(c)).toBe('');
    c.detector.settings = { input: { channelOrder: 'rgba', std: [1, 0, 1] } };
    const problems = problemsOf(c);
    expect(problems).toMatch(/^detector -> settings -> input -> channelOrder \| "rgba" \| /m);
    expect(problems).toMatch(/^detector -> settings -> input -> std -> 1 \| 0 \| /m);
  });

  it('a missing field', () => {
    const c = goodConfig() as { device: Partial<ReturnType<typeof goodConfig>['device']> };
    delete c.device.location;
    expect(problemsOf(c)).toBe('device -> location | (missing) | missing: this field is required');
  });

  it('an unknown class, and an unknown key', () => {
    const c = goodConfig() as ReturnType<typeof goodConfig> & { mqtt?: unknown };
    c.cameras['cam-7'].zones[0]!.classes = ['person', 'dog'];
    c.mqtt = { hots: 'broker' };
    expect(problemsOf(c).split('\n')).toEqual([
      'mqtt -> hots | "broker" | unknown key',
      'cameras -> cam-7 -> zones -> 0 -> classes -> 1 | "dog" | expected one of person, bicycle, car, motorcycle, bus, truck',
    ]);
  });

  it('cross-field rules: source fields, duplicate names, calibration, sensors, detector', () => {
    const c = goodConfig() as Record<string, unknown> & ReturnType<typeof goodConfig>;
    const cam = c.cameras['cam-7'] as Record<string, unknown>;
    cam.source = { kind: 'mjpeg', url: 'rtsp://x' };
    (cam.lines as Array<{ name: string }>)[1]!.name = 'north';
    cam.calibration = { points: [{ image: [0, 0], ground: [0, 0] }, { image: [10, 10], ground: [1, 1] }, { image: [20, 20], ground: [2, 2] }, { image: [30, 30], lat: 22, lon: 114, ground: [3, 3] }] };
    c.sensors = [{ name: 'aq', kind: 'air_quality' }];
    expect(problemsOf(c).split('\n')).toEqual([
      'cameras -> cam-7 -> source -> url | "rtsp://x" | a mjpeg source needs an http(s):// URL',
      'cameras -> cam-7 -> lines -> 1 -> name | "north" | another of the camera\'s lines has this name',
      'cameras -> cam-7 -> calibration -> points -> 3 | {"image":[30,30],"lat":22,"lon":114,"ground":[3,3]} | give either ground [east, north] metres or both lat and lon',
      'sensors -> 0 | {} | give exactly one of http or file',
    ]);
    const noDetector = goodConfig() as Partial<ReturnType<typeof goodConfig>>;
    delete noDetector.detector;
    expect(problemsOf(noDetector)).toBe('detector | (missing) | cameras need a detector (detector -> model)');
  });

  it('collinear calibration points are refused', () => {
    const c = goodConfig() as ReturnType<typeof goodConfig> & { cameras: { 'cam-7': { calibration?: unknown } } };
    c.cameras['cam-7'].calibration = { points: [0, 1, 2, 3].map((i) => ({ image: [i * 10, i * 10], ground: [i, i * 2] })) };
    expect(problemsOf(c)).toMatch(/^cameras -> cam-7 -> calibration -> points \| .* \| these 4 points do not fix a ground plane/);
  });

  it('a file that is not YAML', async () => {
    const path = join(dir, 'broken.yaml');
    writeFileSync(path, 'device: [unclosed');
    await expect(loadConfigFile(path)).rejects.toMatchObject({ code: 'SW_EDGE_CONFIG_INVALID' });
  });
});
