import { describe, expect, it } from 'vitest';
import { DEFAULT_DECODE_OPTIONS, deviceTopic, encodeMessage, makeMessage, newMessageId } from '@streetwise/protocol';
import { classifyMessage, isRealCalendarTime } from './classify-message.js';
import type { Received } from '../types.js';

const NOW = Date.parse('2025-03-01T08:00:00Z');
const decode = DEFAULT_DECODE_OPTIONS;
const policy = { trustedPublishers: ['fleet-*'], downlinkPublishers: ['console'] };
const event = (deviceId: string, over: Record<string, unknown> = {}): Buffer =>
  encodeMessage({ ...makeMessage('event', { deviceId, type: 'intrusion', severity: 'high', location: { lat: 22.3, lon: 114.2 } }, NOW), ...over });
const rx = (topic: string, payload: Buffer, clientId: string | null = null): Received => ({ topic, payload, clientId, receivedAtMs: NOW });
const reasonOf = (r: Received, p: typeof policy | null = null): string => {
  const c = classifyMessage(r, { decode, publisherPolicy: p, nowMs: NOW });
  if (c.outcome !== 'item') return 'ignored';
  return c.item.accepted ? 'accepted' : c.item.reasonCode;
};

describe('classifyMessage', () => {
  it('accepts a valid event and keeps the decoded message', () => {
    const c = classifyMessage(rx(deviceTopic('cam-1', 'event'), event('cam-1'), 'cam-1'), { decode, publisherPolicy: policy, nowMs: NOW });
    expect(c.outcome === 'item' && c.item.accepted && c.item.kind === 'event' && c.item.message.type).toBe('intrusion');
  });

  it('checks who publishes when the broker says (embedded), and only then', () => {
    const topic = deviceTopic('cam-1', 'event');
    expect(reasonOf(rx(topic, event('cam-1'), 'cam-2'), policy)).toBe('unauthorized_publisher');
    expect(reasonOf(rx(topic, event('cam-1'), 'fleet-7'), policy)).toBe('accepted');
    expect(reasonOf(rx(topic, event('cam-1'), 'cam-2'), null)).toBe('accepted');
  });

  it('dead-letters config from a device, leaves a well-formed config alone on a shared subscription', () => {
    const config = encodeMessage({ v: 1, id: newMessageId(NOW), ts: new Date(NOW).toISOString(), configVersion: 3 });
    const topic = deviceTopic('cam-1', 'config');
    expect(reasonOf(rx(topic, config, 'cam-1'), policy)).toBe('downlink_on_uplink');
    expect(reasonOf(rx(topic, config), null)).toBe('ignored');
    expect(reasonOf(rx(topic, event('cam-1')), null)).toBe('downlink_on_uplink');
  });

  it('refuses what PostgreSQL would refuse: NUL in text, impossible dates, int4 overflow', () => {
    expect(reasonOf(rx(deviceTopic('cam-1', 'event'), event('cam-1', { rule: 'a\u0000b' })))).toBe('bad_text');
    expect(reasonOf(rx(deviceTopic('cam-1', 'event'), event('cam-1', { attrs: { k: 'x\u0000' } })))).toBe('bad_text');
    expect(reasonOf(rx(deviceTopic('cam-1', 'event'), event('cam-1', { ts: '2025-02-29T08:00:00Z' })))).toBe('schema');
    const health = encodeMessage({ ...makeMessage('health', { deviceId: 'cam-1', uptimeS: 1, outboxDepth: 0 }, NOW), configVersion: 2 ** 40 });
    expect(reasonOf(rx(deviceTopic('cam-1', 'health'), health))).toBe('schema');
  });

  it('refuses lone surrogates and bidirectional controls in any text, escaped or raw, and keeps right-to-left text', () => {
    const topic = deviceTopic('cam-1', 'event');
    expect(reasonOf(rx(topic, event('cam-1', { rule: 'a\ud800b' })))).toBe('bad_text');
    expect(reasonOf(rx(topic, event('cam-1', { direction: '\udc00in' })))).toBe('bad_text');
    expect(reasonOf(rx(topic, event('cam-1', { attrs: { note: 'exit\u202eevil' } })))).toBe('bad_text');
    expect(reasonOf(rx(topic, event('cam-1', { rule: 'a\u2066b\u2069' })))).toBe('bad_text');
    // Raw UTF-8 bytes of U+202E, not escaped by the sender.
    expect(reasonOf(rx(topic, Buffer.from(event('cam-1').toString('utf8').replace('"severity"', '"rule":"a\u202eb","severity"'), 'utf8')))).toBe('bad_text');
    const status = encodeMessage({ ...makeMessage('status', { deviceId: 'cam-1', state: 'online', kind: 'camera', location: { lat: 22.3, lon: 114.2 } }, NOW), name: 'gate\u202ecod.exe' });
    expect(reasonOf(rx(deviceTopic('cam-1', 'status'), status))).toBe('bad_text');
    const c = classifyMessage(rx(topic, event('cam-1', { rule: 'x\ud83d' })), { decode, publisherPolicy: null, nowMs: NOW });
    expect(c.outcome === 'item' && !c.item.accepted && c.item.reason).toContain('/rule holds a lone UTF-16 surrogate');
    // A surrogate pair (an emoji), Arabic and Chinese text are text.
    expect(reasonOf(rx(topic, event('cam-1', { rule: 'cam \ud83d\ude00', direction: 'شمال', modelVersion: '北行' })))).toBe('accepted');
  });

  it('refuses a zone or observedAt the database would refuse (offset beyond ±15:59, impossible date)', () => {
    expect(reasonOf(rx(deviceTopic('cam-1', 'event'), event('cam-1', { ts: '2025-03-01T20:00:00+20:00' })))).toBe('schema');
    expect(reasonOf(rx(deviceTopic('cam-1', 'event'), event('cam-1', { ts: '2025-03-01T23:00:00+15:00' })))).toBe('accepted');
    const telemetry = (observedAt: string): Buffer => encodeMessage({ ...makeMessage('telemetry', { deviceId: 'cam-1', intervalS: 60 }, NOW), observedAt });
    expect(reasonOf(rx(deviceTopic('cam-1', 'telemetry'), telemetry('2024-02-30T00:00:00Z')))).toBe('schema');
    expect(reasonOf(rx(deviceTopic('cam-1', 'telemetry'), telemetry('2024-04-06T13:27:30+19:00')))).toBe('schema');
    expect(reasonOf(rx(deviceTopic('cam-1', 'telemetry'), telemetry('2024-04-06T13:27:30Z')))).toBe('accepted');
  });

  it('checks size before anything else', () => {
    expect(reasonOf(rx(deviceTopic('cam-1', 'event'), Buffer.alloc(decode.maxPayloadBytes + 1, 0x7b), 'someone-else'), policy)).toBe('oversize');
  });

  it('isRealCalendarTime', () => {
    expect(['2024-02-29T00:00:00Z', '2025-12-31T23:59:59.123456+08:00'].map(isRealCalendarTime)).toEqual([true, true]);
    expect(['2025-02-29T00:00:00Z', '2025-04-31T00:00:00Z', '2025-01-01T24:00:00Z', '2025-00-10T00:00:00Z', '2025-01-01T00:00:00+16:00', '2025-01-01T00:00:00-15:60'].map(isRealCalendarTime))
      .toEqual([false, false, false, false, false, false]);
  });
});
