import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeUplink, deviceTopic, encodeConfig, encodeMessage, newMessageId, type ConfigMessage, type EventMessage, type ModelUpdate } from '@streetwise/protocol';
import { validateConfig } from '../config/load.js';
import { N_FEATURES } from '@streetwise/inference';
import { buildConstantModel, yolov8Output } from '@streetwise/inference/testing';
import { waitFor } from '@streetwise/testing';
import { startTestBroker, type TestBroker } from '../testing/broker.js';
import { Agent } from './agent.js';

const dir = mkdtempSync(join(tmpdir(), 'sw-agent-'));
const names = "{0: 'person', 1: 'car'}";
// A person standing still: input box 80,60 → 120,140; in a 640×480 frame 160,40 → 240,200 (ground point 200, 200).
const personModel = () => { const o = yolov8Output([[100, 100, 40, 80, 0.9, 0.0]]); return buildConstantModel({ inputWidth: 320, inputHeight: 320, outputDims: o.dims, outputData: o.data, metadata: { names, version: 'v1' } }); };
const carModel = () => { const o = yolov8Output([[100, 100, 40, 80, 0.0, 0.9]]); return Buffer.from(buildConstantModel({ inputWidth: 320, inputHeight: 320, outputDims: o.dims, outputData: o.data, metadata: { names } })); };
const keys = generateKeyPairSync('ed25519');

let broker: TestBroker;
let agent: Agent;
let http: Server;
let httpUrl = '';
const files = new Map<string, Buffer>();

const events = (type?: string) => broker.captured.filter((c) => c.topic === deviceTopic('cam-dev', 'event') && (!type || c.json.type === type)).map((c) => c.json as EventMessage);
async function publishConfig(payload: Buffer): Promise<void> {
  await new Promise<void>((resolve) => broker.broker.publish({ cmd: 'publish', topic: deviceTopic('cam-dev', 'config'), payload, qos: 1, retain: false, dup: false }, () => resolve()));
}
/** As a sender should: through the protocol's encodeConfig, which refuses what the device would. */
async function downlink(message: object): Promise<void> {
  const sent = encodeConfig(message as ConfigMessage);
  if (!sent.ok) throw new Error(`the sender refused its own message: ${sent.reason}`);
  await publishConfig(sent.payload);
}
const config = (configVersion: number, patch?: Record<string, unknown>, model?: ModelUpdate) => ({ v: 1, id: newMessageId(), ts: new Date().toISOString(), configVersion, ...(patch ? { patch } : {}), ...(model ? { model } : {}) });
const describeModel = (bytes: Buffer, version: string, extra: Partial<ModelUpdate> = {}): ModelUpdate => ({ name: 'detector', version, sha256: createHash('sha256').update(bytes).digest('hex'), sizeBytes: bytes.byteLength, ...extra });

beforeAll(async () => {
  broker = await startTestBroker();
  http = createServer((req, res) => {
    const body = files.get(req.url ?? '');
    res.statusCode = body ? 200 : 404;
    res.end(body);
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  httpUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  mkdirSync(join(dir, 'frames'));
  writeFileSync(join(dir, 'frames', 'a.jpg'), await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 120, g: 120, b: 120 } } }).jpeg().toBuffer());
  writeFileSync(join(dir, 'v1.onnx'), personModel());
  const raw = {
    device: { id: 'cam-dev', location: { lat: 22.28, lon: 114.16 } },
    mqtt: { url: broker.url, healthIntervalS: 0, reconnectPeriodMs: 100 },
    outbox: { dir: join(dir, 'state', 'outbox'), fsync: 'never' },
    detector: { model: join(dir, 'v1.onnx'), modelDir: join(dir, 'models'), publicKey: keys.publicKey.export({ format: 'der', type: 'spki' }).toString('base64') },
    cameras: {
      'cam-1': {
        source: { kind: 'images', path: join(dir, 'frames'), fps: 20 },
        frame: { width: 640, height: 480 },
        zones: [{ name: 'depot', polygon: [[150, 150], [250, 150], [250, 250], [150, 250]], classes: ['person'], restricted: true }],
      },
    },
  };
  const valid = validateConfig(raw);
  if (!valid.ok) throw new Error(JSON.stringify(valid.problems));
  agent = await Agent.create(valid.value, { logger: pino({ level: 'silent' }) });
  agent.start();
  await agent.publisher.whenConnected();
});

afterAll(async () => {
  await agent?.stop();
  await broker?.stop();
  await new Promise((r) => http?.close(r));
  rmSync(dir, { recursive: true, force: true });
});

describe('agent on a real broker, with a real (tiny) model and frames from a folder', () => {
  it('announces itself and raises one intrusion for the person in the restricted zone, without a snapshot', async () => {
    await waitFor(() => events('intrusion').length === 1, { timeoutMs: 10_000, what: 'intrusion' });
    const birth = broker.captured.find((c) => c.topic === deviceTopic('cam-dev', 'status'))!;
    // healthIntervalS: how often it reports, so the console can tell a silent device (0 here: it sends none).
    expect(birth.json).toMatchObject({ state: 'online', models: { detector: 'v1' }, configVersion: 0, healthIntervalS: 0 });
    expect(events('intrusion')[0]).toMatchObject({ class: 'person', rule: 'depot', severity: 'high', modelVersion: 'v1', location: { lat: 22.28, lon: 114.16 }, attrs: { camera: 'cam-1' } });
    expect(events('intrusion')[0]!.snapshot).toBeUndefined();
    for (const c of broker.captured.filter((x) => x.topic.endsWith('/event'))) expect(decodeUplink(c.topic, c.payload).ok).toBe(true);
  });

  it('health carries the pipeline figures: fps and the configured rate, inference p50/p95 and failures, outbox, models and config version', () => {
    const health = agent.publisher.publishHealth()!;
    expect(health.fps).toBeGreaterThan(0);
    expect(health).toMatchObject({ fpsTarget: 20, inferenceErrors: 0 });
    expect(health.inferenceMsP95!).toBeGreaterThanOrEqual(health.inferenceMsP50!);
    expect(health).toMatchObject({ models: { detector: 'v1' }, configVersion: 0, deviceId: 'cam-dev' });
    expect(health.outboxDepth).toBeGreaterThanOrEqual(0);
  });

  it('hot-reloads zones and snapshots from a config downlink; refuses a bad one naming the field', async () => {
    const zones = [{ name: 'gate', polygon: [[180, 180], [220, 180], [220, 220], [180, 220]], restricted: true }];
    await downlink(config(1, { cameras: { 'cam-1': { zones, snapshots: { enabled: true, width: 160 } } } }));
    await waitFor(() => events('config_applied').length === 1, { timeoutMs: 5000, what: 'config_applied' });
    expect(events('config_applied')[0]!.attrs).toMatchObject({ configVersion: 1, changed: 'cameras.cam-1.zones,cameras.cam-1.snapshots' });
    await waitFor(() => events('intrusion').some((e) => e.rule === 'gate'), { timeoutMs: 5000, what: 'intrusion in the new zone' });
    const gate = events('intrusion').find((e) => e.rule === 'gate')!;
    expect((await sharp(Buffer.from(gate.snapshot as string, 'base64')).metadata()).width).toBe(160);
    expect(agent.configVersion).toBe(1);
    expect(existsSync(join(dir, 'state', 'applied-config.json'))).toBe(true);

    await downlink(config(2, { cameras: { 'cam-1': { lines: [{ name: 'l', from: [0, 0], to: [700, 20] }] } } }));
    await waitFor(() => events('config_rejected').length === 1, { timeoutMs: 5000, what: 'config_rejected' });
    expect(events('config_rejected')[0]!.attrs?.reason).toBe('cameras -> cam-1 -> lines -> 0 -> to | [700,20] | point is outside the 640×480 frame');
    await downlink(config(1, { thresholds: { default: 0.5 } }));
    await waitFor(() => events('config_rejected').length === 2, { timeoutMs: 5000, what: 'stale config rejected' });
    expect(events('config_rejected')[1]!.attrs?.reason).toMatch(/^stale/);
    expect(agent.configVersion).toBe(1);
  });

  it('refuses corrupted, unsigned and unloadable models, keeps the old one, then applies a signed one', async () => {
    const good = carModel();
    const signature = sign(null, good, keys.privateKey).toString('base64');
    files.set('/bad.onnx', Buffer.concat([good.subarray(0, 100), Buffer.from('x'), good.subarray(101)]));
    await downlink(config(1, undefined, describeModel(good, 'v2', { url: `${httpUrl}/bad.onnx`, signature })));
    await waitFor(() => events('model_rejected').length === 1, { timeoutMs: 5000, what: 'corrupted model rejected' });
    expect(events('model_rejected')[0]!.attrs?.reason).toMatch(/^sha256 .* does not match/);

    files.set('/good.onnx', good);
    await downlink(config(1, undefined, describeModel(good, 'v2', { url: `${httpUrl}/good.onnx` })));
    await waitFor(() => events('model_rejected').length === 2, { timeoutMs: 5000, what: 'unsigned model rejected' });
    expect(events('model_rejected')[1]!.attrs?.reason).toMatch(/requires signed models/);

    const notOnnx = Buffer.from('this is not a model');
    files.set('/junk.onnx', notOnnx);
    await downlink(config(1, undefined, describeModel(notOnnx, 'v3', { url: `${httpUrl}/junk.onnx`, signature: sign(null, notOnnx, keys.privateKey).toString('base64') })));
    await waitFor(() => events('model_rejected').length === 3, { timeoutMs: 5000, what: 'unloadable model rejected' });
    expect(events('model_rejected')[2]!.attrs?.reason).toMatch(/does not load.*previous model keeps running/);
    expect(agent.modelVersion).toBe('v1');

    await downlink(config(1, undefined, describeModel(good, 'v2', { url: `${httpUrl}/good.onnx`, signature })));
    await waitFor(() => events('model_applied').length === 1, { timeoutMs: 5000, what: 'model applied' });
    expect(agent.modelVersion).toBe('v2');
    expect(JSON.parse(readFileSync(join(dir, 'models', 'current.json'), 'utf8'))).toMatchObject({ version: 'v2' });
    await waitFor(() => broker.captured.some((c) => c.topic.endsWith('/status') && (c.json.models as Record<string, string> | undefined)?.detector === 'v2'), { timeoutMs: 5000, what: 'birth with v2' });
  });

  it('assembles a model sent in chunks over MQTT', async () => {
    const o = yolov8Output([[100, 100, 40, 80, 0.8, 0.1]]);
    const v4 = Buffer.from(buildConstantModel({ inputWidth: 320, inputHeight: 320, outputDims: o.dims, outputData: o.data, metadata: { names } }));
    const update = describeModel(v4, 'v4', { signature: sign(null, v4, keys.privateKey).toString('base64') });
    const size = Math.ceil(v4.byteLength / 3);
    for (const index of [2, 0, 1]) await downlink(config(1, { modelChunk: { index, count: 3, data: v4.subarray(index * size, (index + 1) * size).toString('base64') } }, update));
    await waitFor(() => events('model_applied').length === 2, { timeoutMs: 5000, what: 'chunked model applied' });
    expect(agent.modelVersion).toBe('v4');
  });

  it('refuses a downlink outside the protocol before it touches the config, naming the field, as the sender does', async () => {
    const before = events('config_rejected').length;
    const bad = config(7, { cameras: { 'cam-1': { source: { kind: 'rtsp', url: 'rtsp://10.0.0.21/stream2' } } } });
    const reason = 'config: /patch/cameras/cam-1/source is not allowed here (allowed: lines, zones, lanes, calibration, snapshots)';
    expect(encodeConfig(bad as ConfigMessage)).toEqual({ ok: false, reason });
    await publishConfig(encodeMessage(bad)); // a sender that skipped the check
    await waitFor(() => events('config_rejected').length === before + 1, { timeoutMs: 5000, what: 'config_rejected' });
    expect(events('config_rejected')[before]!.attrs).toEqual({ reason, code: 'schema' });
    expect(agent.configVersion).toBe(1);
  });

  it('updates the forecaster too, and refuses a model of unknown purpose', async () => {
    const fc = Buffer.from(buildConstantModel({ inputWidth: 0, inputHeight: 0, inputDims: [1, N_FEATURES], outputDims: [1, 6], outputData: [1, 1, 1, 1, 1, 1], inputName: 'features', outputName: 'forecast' }));
    files.set('/fc.onnx', fc);
    const signature = sign(null, fc, keys.privateKey).toString('base64');
    await downlink(config(1, undefined, { ...describeModel(fc, 'fc-2', { url: `${httpUrl}/fc.onnx`, signature }), name: 'segmenter' }));
    await waitFor(() => events('model_rejected').some((e) => e.attrs?.name === 'segmenter'), { timeoutMs: 5000, what: 'unknown model refused' });
    await downlink(config(1, undefined, { ...describeModel(fc, 'fc-2', { url: `${httpUrl}/fc.onnx`, signature }), name: 'forecaster' }));
    await waitFor(() => events('model_applied').some((e) => e.attrs?.name === 'forecaster'), { timeoutMs: 5000, what: 'forecaster applied' });
    await waitFor(() => broker.captured.some((c) => c.topic.endsWith('/status') && (c.json.models as Record<string, string> | undefined)?.forecaster === 'fc-2'), { timeoutMs: 5000, what: 'birth with the forecaster' });
    expect(agent.modelVersion).toBe('v4');
  });
});
