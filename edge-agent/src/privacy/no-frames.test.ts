/**
 * PRIVACY.md, DPP1 (minimisation): a live camera sends no frame or image bytes over MQTT by default. A real
 * agent runs the shipped real-camera detector (YOLOX-Nano) on the real photos of tests/fixtures/photos, with
 * a restricted zone over the whole frame so every person found raises an event; every payload the broker
 * receives is searched for image data. Then snapshots are switched on by a config downlink, and the same
 * search finds them: the search can fail.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceTopic, encodeConfig, newMessageId, type ConfigMessage } from '@streetwise/protocol';
import { waitFor } from '@streetwise/testing';
import { validateConfig } from '../config/load.js';
import { startTestBroker, type Captured, type TestBroker } from '../testing/broker.js';
import { Agent } from '../agent/agent.js';

const PHOTOS = fileURLToPath(new URL('../../../tests/fixtures/photos/', import.meta.url));

/**
 * Byte signatures of image formats, raw and as base64. A picture sent as base64 is encoded from its first
 * byte, so its text starts with the signature's base64 (`/9j/` for JPEG); a picture hidden at an odd offset
 * of a larger blob would be a long string, which the check below finds.
 */
const MAGIC: ReadonlyArray<[string, Buffer]> = [
  ['JPEG', Buffer.from([0xff, 0xd8, 0xff])],
  ['PNG', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
  ['GIF', Buffer.from('GIF8')],
  ['WebP', Buffer.from('RIFF')],
];
const SIGNATURES = MAGIC.flatMap(([name, bytes]) => [
  { name, needle: bytes },
  // Only the characters that the signature's bits decide alone (a full 6 bits each).
  { name: `${name} in base64`, needle: Buffer.from(bytes.toString('base64').slice(0, Math.floor((bytes.length * 8) / 6))) },
]);
/** Fields that would carry a picture, under any name a payload might use. */
const IMAGE_FIELD = /^(snapshot|image|img|frame|thumbnail|thumb|jpeg|jpg|png|picture|photo)s?$/i;
/** No text field of a message needs to be this long; a picture in any encoding would be. */
const LONGEST_TEXT_CHARS = 1024;

/** Everything image-like in one MQTT payload: a signature, an image-named field, a long string. */
function imageFindings(c: Captured): string[] {
  const found = SIGNATURES.filter((s) => c.payload.includes(s.needle)).map((s) => `${s.name} signature`);
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'string' && value.length > LONGEST_TEXT_CHARS) found.push(`${path}: a ${value.length}-character string`);
    if (value && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) {
        if (IMAGE_FIELD.test(key)) found.push(`${path}.${key}: an image field`);
        walk(v, `${path}.${key}`);
      }
    }
  };
  walk(c.json, c.topic);
  return found;
}

describe('no frame leaves a live camera by default', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sw-privacy-'));
  let broker: TestBroker;
  let agent: Agent;

  beforeAll(async () => {
    broker = await startTestBroker();
    const raw = {
      device: { id: 'cam-privacy', location: { lat: 22.28, lon: 114.16 } },
      mqtt: { url: broker.url, healthIntervalS: 1, reconnectPeriodMs: 100 },
      outbox: { dir: join(dir, 'outbox'), fsync: 'never' },
      // No model named: the real-camera detector of the manifest (YOLOX-Nano), as on a street camera.
      detector: { modelDir: join(dir, 'models') },
      cameras: {
        street: {
          source: { kind: 'images', path: PHOTOS, fps: 0 },
          frame: { width: 640, height: 640 },
          lines: [{ name: 'kerb', from: [0, 400], to: [639, 400] }],
          zones: [{ name: 'everywhere', polygon: [[0, 0], [639, 0], [639, 639], [0, 639]], classes: ['person', 'car', 'bus', 'truck'], restricted: true }],
        },
      },
    };
    const valid = validateConfig(raw);
    if (!valid.ok) throw new Error(JSON.stringify(valid.problems));
    agent = await Agent.create(valid.value, { logger: pino({ level: 'silent' }) });
    agent.start();
    await agent.publisher.whenConnected();
  }, 60_000);
  afterAll(async () => {
    await agent?.stop();
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const events = () => broker.captured.filter((c) => c.topic === deviceTopic('cam-privacy', 'event'));

  it('sends events, health and status with no image bytes, no base64 of them and no image field', async () => {
    // Each of the seven photos seen at least twice, and events raised on them.
    await waitFor(() => events().filter((c) => c.json.type === 'intrusion').length >= 5 && (agent.publisher.publishHealth()?.fps ?? 0) > 0, { timeoutMs: 60_000, what: 'intrusions on the real photos' });
    await waitFor(() => broker.captured.some((c) => c.topic === deviceTopic('cam-privacy', 'health')), { timeoutMs: 10_000, what: 'a health message' });
    const topics = new Set(broker.captured.map((c) => c.topic.split('/').pop()));
    expect(topics).toEqual(expect.objectContaining(new Set(['status', 'event', 'health'])));
    const findings = broker.captured.flatMap((c) => imageFindings(c).map((f) => `${c.topic}: ${f}`));
    expect(findings).toEqual([]);
    expect(broker.captured.length).toBeGreaterThan(5);
    // The search itself finds a real photo's bytes, raw and as the start of a base64 text under an innocent name.
    const jpeg = readFileSync(join(PHOTOS, 'yolox_dog.jpg'));
    const asText = Buffer.from(JSON.stringify({ note: jpeg.subarray(0, 600).toString('base64') }));
    expect(imageFindings({ topic: 't', payload: asText, retain: false, json: {} })).toEqual(['JPEG in base64 signature']);
    expect(imageFindings({ topic: 't', payload: jpeg, retain: false, json: {} })).toContain('JPEG signature');
  }, 90_000);

  it('finds the snapshot once an operator switches snapshots on (the search can fail)', async () => {
    const message = { v: 1, id: newMessageId(), ts: new Date().toISOString(), configVersion: 1, patch: { cameras: { street: { snapshots: { enabled: true } } } } };
    const sent = encodeConfig(message as ConfigMessage);
    if (!sent.ok) throw new Error(sent.reason);
    await new Promise<void>((resolve) => broker.broker.publish({ cmd: 'publish', topic: deviceTopic('cam-privacy', 'config'), payload: sent.payload, qos: 1, retain: false, dup: false }, () => resolve()));
    await waitFor(() => events().some((c) => typeof c.json.snapshot === 'string'), { timeoutMs: 30_000, what: 'an event with a snapshot' });
    const withSnapshot = events().find((c) => typeof c.json.snapshot === 'string')!;
    expect(imageFindings(withSnapshot)).toEqual(expect.arrayContaining(['JPEG in base64 signature', `${withSnapshot.topic}.snapshot: an image field`]));
  }, 60_000);
});
