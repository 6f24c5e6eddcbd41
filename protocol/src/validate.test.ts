import { describe, expect, it } from 'vitest';
import { decodeUplink, parseJsonSafely } from './validate.js';
import { makeMessage, encodeMessage } from './encode.js';
import { deviceTopic, parseTopic, sharedUplinkFilter, uplinkFilter } from './topics.js';
import { isMessageId, messageIdTimeMs, newMessageId } from './ids.js';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const event = (over: Record<string, unknown> = {}) => ({
  ...makeMessage('event', { deviceId: 'cam-1', type: 'stopped_vehicle', severity: 'high', class: 'car', location: { lat: 22.3, lon: 114.17 } }, NOW),
  ...over,
});
const decode = (value: unknown, topic = deviceTopic('cam-1', 'event')) =>
  decodeUplink(topic, Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)), {}, NOW);

describe('topics', () => {
  it('builds and parses <prefix>/v1/<deviceId>/<kind>', () => {
    expect(deviceTopic('cam-1', 'telemetry')).toBe('streetwise/v1/cam-1/telemetry');
    expect(parseTopic('streetwise/v1/cam-1/telemetry')).toEqual({ ok: true, deviceId: 'cam-1', kind: 'telemetry' });
    expect(uplinkFilter('city')).toBe('city/v1/+/+');
    expect(sharedUplinkFilter('ingest')).toBe('$share/ingest/streetwise/v1/+/+');
  });
  it('refuses wildcard or slash device ids and unknown kinds', () => {
    expect(() => deviceTopic('a/b', 'event')).toThrow(/device id/);
    expect(() => deviceTopic('+', 'event')).toThrow(/device id/);
    expect(parseTopic('streetwise/v1/cam-1/video')).toMatchObject({ ok: false, reason: expect.stringContaining('unknown message kind') });
    expect(parseTopic('streetwise/v2/cam-1/event').ok).toBe(false);
    expect(parseTopic('streetwise/v1/cam-1/event/extra').ok).toBe(false);
  });
});

describe('ids', () => {
  it('makes UUIDv7 ids that sort by time and carry it', () => {
    const a = newMessageId(1_700_000_000_000);
    const b = newMessageId(1_700_000_000_001);
    expect(isMessageId(a)).toBe(true);
    expect(a < b).toBe(true);
    expect(messageIdTimeMs(a)).toBe(1_700_000_000_000);
  });
});

describe('decodeUplink', () => {
  it('accepts a valid event of each kind', () => {
    expect(decode(event())).toMatchObject({ ok: true, kind: 'event', deviceId: 'cam-1' });
    const telemetry = makeMessage('telemetry', { deviceId: 'cam-1', intervalS: 60, counts: { car: 12, bus: 1 }, speedKmhAvg: 42.5 }, NOW);
    expect(decode(telemetry, deviceTopic('cam-1', 'telemetry'))).toMatchObject({ ok: true, kind: 'telemetry' });
    const health = makeMessage('health', { deviceId: 'cam-1', uptimeS: 10, outboxDepth: 0 }, NOW);
    expect(decode(health, deviceTopic('cam-1', 'health'))).toMatchObject({ ok: true, kind: 'health' });
    const birth = makeMessage('status', { deviceId: 'cam-1', state: 'online', kind: 'camera', location: { lat: 22.3, lon: 114.1 } }, NOW);
    expect(decode(birth, deviceTopic('cam-1', 'status'))).toMatchObject({ ok: true, kind: 'status' });
  });

  it.each([
    ['malformed JSON', '{"v":1,', 'bad_json'],
    ['NaN literal', '{"v":NaN}', 'bad_json'],
    ['empty payload', '', 'bad_json'],
    ['wrong type', event({ severity: 3 }), 'schema'],
    ['unknown field', event({ extra: 1 }), 'schema'],
    ['unknown class', event({ class: 'tank' }), 'schema'],
    ['latitude out of range', event({ location: { lat: 91, lon: 0 } }), 'schema'],
    ['far-future ts', event({ ts: '2027-01-01T00:00:00Z' }), 'ts_future'],
    ['ancient ts', event({ ts: '2020-01-01T00:00:00Z' }), 'ts_too_old'],
    ['impossible date', event({ ts: '2026-13-45T00:00:00Z' }), 'schema'],
    ['spoofed device id', event({ deviceId: 'cam-2' }), 'device_mismatch'],
    ['__proto__ key', '{"__proto__":{"admin":true},"v":1}', 'forbidden_key'],
    ['nested constructor key', JSON.stringify({ ...event(), attrs: { constructor: 1 } }), 'forbidden_key'],
    ['too deep', JSON.stringify({ a: { b: { c: { d: { e: { f: { g: { h: { i: 1 } } } } } } } } }), 'too_deep'],
    ['not a v1 id', event({ id: '00000000-0000-4000-8000-000000000000' }), 'schema'],
    // A key outside attrs' key pattern used to pass unchecked, with any value (the record was open).
    ['attrs key outside the pattern, nested value', event({ attrs: { 'not a key!': { deep: [1, { x: 2 }] } } }), 'schema'],
    ['attrs key outside the pattern', event({ attrs: { $where: 'sleep(10)' } }), 'schema'],
  ])('refuses %s with a reason', (_name, value, code) => {
    const result = decode(value);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe(code);
      expect(result.reason.length).toBeGreaterThan(10);
    }
  });

  it('refuses a models key outside the name pattern in status and health', () => {
    const birth = makeMessage('status', { deviceId: 'cam-1', state: 'online', kind: 'camera', location: { lat: 22.3, lon: 114.1 } }, NOW);
    expect(decode({ ...birth, models: { 'bad key': { nested: true } } }, deviceTopic('cam-1', 'status'))).toMatchObject({ ok: false, code: 'schema' });
    const health = makeMessage('health', { deviceId: 'cam-1', uptimeS: 10, outboxDepth: 0 }, NOW);
    expect(decode({ ...health, models: { '': 7 } }, deviceTopic('cam-1', 'health'))).toMatchObject({ ok: false, code: 'schema' });
  });

  it('refuses an oversize payload before parsing it', () => {
    const result = decodeUplink(deviceTopic('cam-1', 'event'), Buffer.alloc(70_000, 0x20), {}, NOW);
    expect(result).toMatchObject({ ok: false, code: 'oversize' });
  });

  it('refuses config published on an uplink and a birth without location', () => {
    expect(decode(event(), deviceTopic('cam-1', 'config'))).toMatchObject({ ok: false, code: 'downlink_on_uplink' });
    const birth = makeMessage('status', { deviceId: 'cam-1', state: 'online' }, NOW);
    expect(decode(birth, deviceTopic('cam-1', 'status'))).toMatchObject({ ok: false, code: 'schema', reason: expect.stringContaining('location') });
  });

  it('names the failing field in the reason', () => {
    const result = decode(event({ confidence: 2 }));
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('/confidence') });
  });

  it('encodes to bytes that decode back to the same message', () => {
    const message = event();
    const result = decodeUplink(deviceTopic('cam-1', 'event'), encodeMessage(message), {}, NOW);
    expect(result).toMatchObject({ ok: true, message });
  });
});

describe('parseJsonSafely', () => {
  it('leaves Object.prototype untouched', () => {
    parseJsonSafely('{"__proto__":{"polluted":true}}', 8);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
