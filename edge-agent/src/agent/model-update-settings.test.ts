import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConstantModel, yolov8Output } from '@streetwise/inference/testing';
import { deviceTopic, encodeConfig, newMessageId, type ConfigMessage, type EventMessage, type ModelUpdate } from '@streetwise/protocol';
import { waitFor } from '@streetwise/testing';
import { validateConfig } from '../config/load.js';
import type { DeviceConfig } from '../config/schema.js';
import { startTestBroker, type TestBroker } from '../testing/broker.js';
import { Agent } from './agent.js';

// A device that starts on a YOLOv8 model, then is sent a YOLOX model in MQTT chunks. The YOLOX model's
// settings (BGR, 0–255, top-left letterbox, pad 114, grid layout) are in the manifest beside the configured
// model, keyed by the file's sha256: the update must load with them, as the same file would at start-up.

// 96×64 YOLOX graph: 12·8 + 6·4 + 3·2 = 126 anchors; one bus at stride-8 cell gx 3, gy 2 (row 2·12 + 3 = 27).
const yoloxRows = Array.from({ length: 126 }, () => new Array<number>(85).fill(0));
yoloxRows[27]![0] = 0.5;
yoloxRows[27]![1] = 0.5;
yoloxRows[27]![4] = 0.9;
yoloxRows[27]![5 + 5] = 1; // COCO 5: bus
const yolox = Buffer.from(buildConstantModel({ inputWidth: 96, inputHeight: 64, outputDims: [1, 126, 85], outputData: yoloxRows.flat() }));
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const COCO_FIRST = ['person', 'bicycle', 'car', 'motorcycle', 'airplane', 'bus', 'train', 'truck'];
const YOLOX_SETTINGS = {
  input: { width: 96, height: 64, channelOrder: 'bgr', pixelRange: '0-255', mean: [0, 0, 0], std: [1, 1, 1], placement: 'top-left', padValue: 114 },
  output: { layout: 'yolox' },
} as const;
const entry = (name: string, file: string, bytes: Buffer, extra: object) => ({
  name, version: '1', file, sha256: sha256(bytes), sizeBytes: bytes.byteLength, task: 'detect', card: `${name}.card.md`,
  inputs: [{ name: 'images', shape: [1, 3, 64, 96], type: 'float32' }], outputs: [{ name: 'output0', shape: [1, 126, 85], type: 'float32' }], ...extra,
});

const dir = mkdtempSync(join(tmpdir(), 'sw-update-settings-'));
const keys = generateKeyPairSync('ed25519');
let broker: TestBroker;
let config: DeviceConfig;
const agents: Agent[] = [];

const events = (type: string) => broker.captured.filter((c) => c.topic === deviceTopic('cam-x', 'event') && c.json.type === type).map((c) => c.json as EventMessage);
async function downlink(message: ConfigMessage): Promise<void> {
  const sent = encodeConfig(message);
  if (!sent.ok) throw new Error(sent.reason);
  await new Promise<void>((resolve) => broker.broker.publish({ cmd: 'publish', topic: deviceTopic('cam-x', 'config'), payload: sent.payload, qos: 1, retain: false, dup: false }, () => resolve()));
}
async function startAgent(): Promise<Agent> {
  const agent = await Agent.create(config, { logger: pino({ level: 'silent' }) });
  agents.push(agent);
  // Downlinks are only delivered once the agent has subscribed to its config topic.
  const subscribed = new Promise<void>((resolve) => {
    const onSubscribe = (subs: Array<{ topic: string }>) => {
      if (!subs.some((s) => s.topic === deviceTopic('cam-x', 'config'))) return;
      broker.broker.off('subscribe', onSubscribe);
      resolve();
    };
    broker.broker.on('subscribe', onSubscribe);
  });
  agent.start();
  await agent.publisher.whenConnected();
  await subscribed;
  return agent;
}

// A solid RGB (200, 100, 50) frame, 192×96: ×0.5 into the 96×64 input, i.e. 96×48 at the top-left, 16 rows of pad below.
let frame: Buffer;

beforeAll(async () => {
  broker = await startTestBroker();
  frame = await sharp({ create: { width: 192, height: 96, channels: 3, background: { r: 200, g: 100, b: 50 } } }).png().toBuffer();
  mkdirSync(join(dir, 'frames'));
  writeFileSync(join(dir, 'frames', 'a.png'), frame);
  const v8 = yolov8Output([[48, 32, 16, 16, 0.9]]);
  const start = Buffer.from(buildConstantModel({ inputWidth: 96, inputHeight: 64, outputDims: v8.dims, outputData: v8.data, metadata: { names: "{0: 'person'}" } }));
  writeFileSync(join(dir, 'start.onnx'), start);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({
    schemaVersion: 1,
    models: [
      entry('start', 'start.onnx', start, {}),
      // The update's entry: its file is not beside the manifest (it arrives over MQTT); its sha256 finds it.
      entry('yolox-tiny', 'yolox-tiny.onnx', yolox, { classes: [...COCO_FIRST, ...Array.from({ length: 72 }, (_, i) => `c${i + 8}`)], settings: YOLOX_SETTINGS }),
    ],
  }));
  const valid = validateConfig({
    device: { id: 'cam-x', location: { lat: 22.28, lon: 114.16 } },
    mqtt: { url: broker.url, healthIntervalS: 0, reconnectPeriodMs: 100 },
    outbox: { dir: join(dir, 'state', 'outbox'), fsync: 'never' },
    detector: { model: join(dir, 'start.onnx'), modelDir: join(dir, 'models'), publicKey: keys.publicKey.export({ format: 'der', type: 'spki' }).toString('base64') },
    cameras: {
      'cam-1': {
        source: { kind: 'images', path: join(dir, 'frames'), fps: 10 },
        frame: { width: 192, height: 96 },
        zones: [{ name: 'kerb', polygon: [[40, 40], [72, 40], [72, 56], [40, 56]], classes: ['bus'], restricted: true }],
      },
    },
  });
  if (!valid.ok) throw new Error(JSON.stringify(valid.problems));
  config = valid.value;
});

afterAll(async () => {
  for (const a of agents) await a.stop();
  await broker?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The detector in force decodes the YOLOX graph exactly and fills its input as YOLOX wants. */
async function expectYolox(agent: Agent): Promise<void> {
  const detector = agent.runningDetector!;
  expect(detector.settings).toEqual(YOLOX_SETTINGS);
  const result = await detector.detect({ kind: 'encoded', data: frame });
  // cx (0.5+3)·8 = 28, cy (0.5+2)·8 = 20, 8×8 → input 24..32, 16..24 → image ×2 (top-left: no offset).
  // A centred letterbox would put it 8 input rows lower; a YOLOv5 reading would find a 0.5×0.5 box at the corner.
  expect(result.detections.map((d) => [d.class, d.box])).toEqual([['bus', [48, 32, 64, 48]]]);
  expect(result.detections[0]!.score).toBeCloseTo(0.9, 5);
  const t = detector.input.data as Float32Array;
  const plane = 96 * 64;
  // Pixel (0, 0): B, G, R planes in 0–255; pixel (0, 50) is padding, 114 in every plane.
  expect([t[0], t[plane], t[2 * plane]]).toEqual([50, 100, 200]);
  expect([t[50 * 96], t[plane + 50 * 96], t[2 * plane + 50 * 96]]).toEqual([114, 114, 114]);
}

describe('a YOLOX model pushed over MQTT chunks keeps its settings from the manifest (found by sha256)', () => {
  it('loads the update with BGR, 0–255, top-left, pad 114 and the YOLOX layout, and its detections reach the rules', async () => {
    const agent = await startAgent();
    expect(agent.runningDetector!.settings.output.layout).toBe('yolov8');
    const update: ModelUpdate = { name: 'detector', version: 'yolox-1', sha256: sha256(yolox), sizeBytes: yolox.byteLength, signature: sign(null, yolox, keys.privateKey).toString('base64') };
    const size = Math.ceil(yolox.byteLength / 3);
    for (const index of [1, 2, 0]) {
      const data = yolox.subarray(index * size, (index + 1) * size).toString('base64');
      await downlink({ v: 1, id: newMessageId(), ts: new Date().toISOString(), configVersion: 0, patch: { modelChunk: { index, count: 3, data } }, model: update });
    }
    await waitFor(() => events('model_applied').length === 1, { timeoutMs: 10_000, what: 'YOLOX update applied' });
    expect(agent.modelVersion).toBe('yolox-1');
    await expectYolox(agent);
    // The bus's ground point (56, 48) is in the kerb zone: the pipeline runs the new model with its settings.
    await waitFor(() => events('intrusion').some((e) => e.class === 'bus' && e.modelVersion === 'yolox-1'), { timeoutMs: 10_000, what: 'bus intrusion from the YOLOX update' });
    await agent.stop();
    agents.pop();
  });

  it('loads it with the same settings after a restart (modelDir/current.json)', async () => {
    const agent = await startAgent();
    expect(agent.modelVersion).toBe('yolox-1');
    await expectYolox(agent);
  });
});
