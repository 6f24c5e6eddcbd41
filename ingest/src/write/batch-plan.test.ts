import { describe, expect, it } from 'vitest';
import { deviceTopic, encodeMessage, makeMessage } from '@streetwise/protocol';
import { finishOutcomes, planBatch } from './batch-plan.js';
import type { KnownDevice } from './device-cache.js';
import type { IntakeItem } from '../types.js';

const NOW = Date.parse('2025-03-01T08:00:00Z');
const at = { lat: 22.3, lon: 114.2 };
const accepted = (kind: 'event' | 'status', message: ReturnType<typeof makeMessage<'event'>> | ReturnType<typeof makeMessage<'status'>>): IntakeItem =>
  ({ topic: deviceTopic(message.deviceId, kind), payload: encodeMessage(message), clientId: null, receivedAtMs: NOW, accepted: true, kind, deviceId: message.deviceId, message }) as IntakeItem;
const ev = (deviceId: string) => accepted('event', makeMessage('event', { deviceId, type: 'detection', severity: 'info', location: at }, NOW));
const status = (deviceId: string, state: 'online' | 'offline') =>
  accepted('status', makeMessage('status', { deviceId, state, ...(state === 'online' ? { kind: 'camera' as const, location: at } : {}) }, NOW));
const known = (id: string, blocked = false): [string, KnownDevice] => [id, { id, blocked, district: null }];

describe('planBatch', () => {
  it('sorts a batch into rows, births, last wills, dead letters, deferrals and in-batch copies', () => {
    const a = ev('cam-a');
    const items: IntakeItem[] = [
      a,
      ev('cam-blocked'),
      ev('cam-new'), // born later in the same batch
      status('cam-new', 'online'),
      ev('cam-stranger'), // unknown, still within its grace
      ev('cam-late'), // unknown, grace over
      { ...a }, // a redelivered copy next to its original
      status('cam-a', 'online'),
      status('cam-a', 'offline'), // the last word wins
      { topic: 't', payload: Buffer.from('x'), clientId: null, receivedAtMs: NOW, accepted: false, reasonCode: 'bad_json', reason: 'payload is not JSON', deviceId: null },
    ];
    const firstSeen = items.map((_, i) => (i === 5 ? NOW - 5_000 : NOW));
    const plan = planBatch(items, firstSeen, new Map([known('cam-a'), known('cam-blocked', true)]), { nowMs: NOW, unknownDeviceGraceMs: 2_000 });
    expect(plan.rows.event.map((e) => e.message.deviceId)).toEqual(['cam-a', 'cam-new']);
    expect([...plan.births.keys()]).toEqual(['cam-new', 'cam-a']);
    expect(Object.fromEntries(plan.finalState)).toEqual({ 'cam-new': 'online', 'cam-a': 'offline' });
    expect(plan.deadLetters.map((d) => `${d.deviceId}:${d.reasonCode}`)).toEqual(['null:bad_json', 'cam-blocked:blocked_device', 'cam-late:unknown_device']);
    expect([...plan.seenDevices]).toEqual(['cam-a', 'cam-new']);
    // cam-a's event was stored, cam-new's was a duplicate of an earlier batch
    const outcomes = finishOutcomes(plan, new Set([items[0]!.accepted ? (items[0] as { message: { id: string } }).message.id : '']));
    expect(outcomes).toEqual(['stored', 'dead_letter', 'duplicate', 'stored', 'deferred', 'dead_letter', 'duplicate', 'stored', 'stored', 'dead_letter']);
  });
});
