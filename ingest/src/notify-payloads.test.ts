import { describe, expect, it } from 'vitest';
import { NOTIFY_PAYLOAD_MAX_BYTES } from '@streetwise/db';
import { chunkPayloads, eventPayloads } from './notify-payloads.js';

describe('notify payloads', () => {
  it('splits a large batch into payloads under the NOTIFY limit, losing none', () => {
    const events = Array.from({ length: 500 }, (_, i) => ({ id: `0190a000-0000-7000-8000-${String(i).padStart(12, '0')}`, deviceId: 'cam-東-1', type: 'detection', severity: 'info', ts: '2025-03-01T08:00:00.000Z', lat: 22.3, lon: 114.2 }));
    const payloads = eventPayloads(events);
    expect(payloads.length).toBeGreaterThan(1);
    for (const p of payloads) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(NOTIFY_PAYLOAD_MAX_BYTES);
    expect(payloads.flatMap((p) => (JSON.parse(p) as { events: Array<{ id: string }> }).events.map((e) => e.id))).toEqual(events.map((e) => e.id));
  });

  it('gives nothing for nothing', () => {
    expect(chunkPayloads('devices', [])).toEqual([]);
  });
});
