import { describe, expect, it } from 'vitest';

describe('eventSummaries', () => {
  it('puts every event in a chunk whose payload stays under the NOTIFY limit', async () => {
    const { eventSummaries } = await import('./notify-payloads.js');
    const events = Array.from({ length: 300 }, (_, i) => ({ id: `0190a000-0000-7000-8000-${String(i).padStart(12, '0')}`, deviceId: `cam-東-${'x'.repeat(50)}`, type: 'line_crossing', severity: 'info' as const, ts: '2025-03-01T08:00:00.000Z', lat: 22.3, lon: 114.2 }));
    const s = eventSummaries(events);
    expect(s.ids).toEqual(events.map((e) => e.id));
    const chunks = new Map<number, string[]>();
    s.chunks.forEach((c, i) => chunks.set(c, [...(chunks.get(c) ?? []), s.json[i]!]));
    expect(chunks.size).toBeGreaterThan(5);
    for (const parts of chunks.values()) {
      const payload = `{"v":1,"events":[${parts.join(',')}]}`;
      expect(Buffer.byteLength(payload)).toBeLessThan(8000);
      expect(JSON.parse(payload)).toBeTruthy();
    }
    expect([...chunks.keys()]).toEqual([...chunks.keys()].sort((a, b) => a - b));
  });
});
