import { describe, expect, it } from 'vitest';
import { CameraPatchSchema, REMOTE_CAMERA_KEYS } from './config-patch.js';
import { encodeConfig, encodeMessage } from './encode.js';
import { newMessageId } from './ids.js';
import type { ConfigMessage } from './schemas.js';
import { decodeConfig, validateMessage } from './validate.js';

const config = (body: Record<string, unknown>): ConfigMessage =>
  ({ v: 1, id: newMessageId(Date.UTC(2026, 10, 25)), ts: '2026-11-25T09:00:00.000Z', configVersion: 4, ...body });
const model = { name: 'detector', version: '1.1.0', sha256: 'a'.repeat(64), sizeBytes: 3 };

/** What the sender's check and the device's check say about one message: they must agree. */
function bothSides(message: ConfigMessage): { sender: string | undefined; device: string | undefined } {
  const sent = encodeConfig(message);
  const received = decodeConfig(encodeMessage(message));
  return { sender: sent.ok ? undefined : sent.reason, device: received.ok ? undefined : received.reason };
}

describe('config downlink patch', () => {
  it('REMOTE_CAMERA_KEYS are exactly the keys a camera patch has', () => {
    expect(Object.keys(CameraPatchSchema.properties)).toEqual([...REMOTE_CAMERA_KEYS]);
  });

  it('a valid patch passes on both sides: thresholds, replaced rules, a partial snapshots block, a model chunk', () => {
    const message = config({
      patch: {
        thresholds: { person: 0.4, default: 0.3 },
        cameras: {
          'cam-1': {
            lines: [{ name: 'stop-line', from: [0, 300], to: [640, 300], classes: ['car', 'bus'], directions: { in: 'southbound' } }],
            zones: [{ name: 'crossing', polygon: [[200, 150], [440, 150], [440, 300]], crowd: { minPersons: 25 } }],
            snapshots: { enabled: true },
          },
        },
        modelChunk: { index: 0, count: 2, data: 'AAE=' },
      },
      model,
    });
    expect(bothSides(message)).toEqual({ sender: undefined, device: undefined });
    expect(validateMessage('config', message)).toBe(true);
    const decoded = decodeConfig(encodeMessage(message));
    expect(decoded.ok && decoded.message.patch?.cameras?.['cam-1']?.snapshots).toEqual({ enabled: true });
  });

  it.each([
    [{ cameras: { 'cam-1': { source: { kind: 'rtsp' } } } }, 'config: /patch/cameras/cam-1/source is not allowed here (allowed: lines, zones, lanes, calibration, snapshots)'],
    [{ detector: { model: '/tmp/x.onnx' } }, 'config: /patch/detector is not allowed here (allowed: thresholds, cameras, modelChunk)'],
    [{ thresholds: { person: 1.5 } }, 'config: /patch/thresholds/person Expected number to be less or equal to 1 (got 1.5)'],
    [{ cameras: { 'cam-1': { lines: [{ name: 'l', from: [0, 0] }] } } }, 'config: /patch/cameras/cam-1/lines/0/to Expected required property'],
    [{ cameras: { 'cam-1': { zones: [{ name: 'z', polygon: [[0, 0], [1, 1]] }] } } }, 'config: /patch/cameras/cam-1/zones/0/polygon Expected array length to be greater or equal to 3 (got [[0,0],[1,1]])'],
    [{ cameras: { 'cam 1': {} } }, 'config: /patch/cameras/cam 1 Unexpected property (got {})'],
  ])('refuses %j on both sides, naming the field', (patch, reason) => {
    expect(bothSides(config({ patch }))).toEqual({ sender: reason, device: reason });
  });

  it('refuses a model chunk without its model, past its count, or not base64', () => {
    expect(bothSides(config({ patch: { modelChunk: { index: 0, count: 1, data: 'AA==' } } })).device).toBe('config: /patch/modelChunk needs /model (the model the chunks make up)');
    expect(bothSides(config({ patch: { modelChunk: { index: 2, count: 2, data: 'AA==' } }, model })).device).toBe(
      'config: /patch/modelChunk/index 2 must be less than /patch/modelChunk/count 2',
    );
    expect(bothSides(config({ patch: { modelChunk: { index: 0, count: 1, data: 'not base64!' } }, model })).sender).toMatch(/^config: \/patch\/modelChunk\/data Expected string to match/);
  });

  it('the sender refuses a message larger than the device accepts', () => {
    const zones = Array.from({ length: 64 }, (_, i) => ({ name: `zone-${i}`, polygon: Array.from({ length: 64 }, (_, j) => [i * 1000 + j, 99_999.125]) }));
    const result = encodeConfig(config({ patch: { cameras: { 'cam-1': { zones } } } }));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/^config: payload is \d+ bytes; the limit is 65536$/);
  });
});
