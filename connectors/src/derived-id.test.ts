import { describe, expect, it } from 'vitest';
import { isMessageId, messageIdTimeMs } from '@streetwise/protocol';
import { derivedMessageId } from './derived-id.js';

const END_MS = Date.UTC(2024, 3, 6, 13, 27, 30);

describe('derivedMessageId', () => {
  it('is a UUIDv7 the protocol accepts, carrying the period end as its time', () => {
    const id = derivedMessageId(END_MS, 'hk-td-speed-volume:telemetry:AID01101');
    expect(isMessageId(id)).toBe(true);
    expect(messageIdTimeMs(id)).toBe(END_MS);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('is the same for the same detector and period (the repeated period dedupes) and differs otherwise', () => {
    const a = derivedMessageId(END_MS, 'hk-td-speed-volume:telemetry:AID01101');
    expect(derivedMessageId(END_MS, 'hk-td-speed-volume:telemetry:AID01101')).toBe(a);
    expect(derivedMessageId(END_MS, 'hk-td-speed-volume:telemetry:AID01102')).not.toBe(a);
    expect(derivedMessageId(END_MS + 30_000, 'hk-td-speed-volume:telemetry:AID01101')).not.toBe(a);
    // 786 detectors at one period end: 786 distinct ids.
    const ids = new Set(Array.from({ length: 786 }, (_, i) => derivedMessageId(END_MS, `hk-td-speed-volume:telemetry:AID${String(i).padStart(5, '0')}`)));
    expect(ids.size).toBe(786);
  });

  it('sorts by time like any v7', () => {
    const ids = [END_MS + 60_000, END_MS, END_MS + 30_000].map((ms) => derivedMessageId(ms, 'k'));
    expect([...ids].sort()).toEqual([ids[1], ids[2], ids[0]]);
  });

  it('refuses a time a v7 cannot carry', () => {
    expect(() => derivedMessageId(-1, 'k')).toThrow(RangeError);
    expect(() => derivedMessageId(1.5, 'k')).toThrow(RangeError);
  });
});
