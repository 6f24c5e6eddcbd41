import { afterEach, describe, expect, it } from 'vitest';
import type { OutboxStore } from './types.js';

/**
 * The one test suite every OutboxStore must pass (cf. MQTT.js abstract_store). Each record is
 * 20 bytes of framing + topic + payload, so sizes below are exact for both stores.
 */
export type OutboxFactory = (bounds: { maxBytes: number }) => OutboxStore;

const TOPIC = 't/x'; // 3 bytes
const payload = (n: number) => Buffer.from(`p${String(n).padStart(4, '0')}`); // 5 bytes
const RECORD = 20 + 3 + 5;

export function describeOutboxStore(name: string, factory: OutboxFactory): void {
  describe(`OutboxStore contract: ${name}`, () => {
    const opened: OutboxStore[] = [];
    const open = (maxBytes = 1024 * 1024) => {
      const store = factory({ maxBytes });
      opened.push(store);
      return store;
    };
    afterEach(() => {
      for (const s of opened.splice(0)) s.close();
    });

    it('returns records oldest first with increasing seqs', () => {
      const store = open();
      const seqs = [1, 2, 3].map((n) => store.append(n === 2 ? 'event' : 'telemetry', TOPIC, payload(n)));
      expect(seqs[0]! < seqs[1]! && seqs[1]! < seqs[2]!).toBe(true);
      const got = store.peek(0, 10);
      expect(got.map((r) => r.payload.toString())).toEqual(['p0001', 'p0002', 'p0003']);
      expect(got.map((r) => r.priority)).toEqual(['telemetry', 'event', 'telemetry']);
      expect(got.every((r) => r.topic === TOPIC)).toBe(true);
      expect(store.stats()).toMatchObject({ depth: 3, bytes: 3 * RECORD, dropped: 0 });
    });

    it('peek honours afterSeq and max; remove deletes once', () => {
      const store = open();
      const seqs = [1, 2, 3, 4].map((n) => store.append('event', TOPIC, payload(n)));
      expect(store.peek(seqs[1]!, 10).map((r) => r.seq)).toEqual([seqs[2], seqs[3]]);
      expect(store.peek(0, 2).map((r) => r.seq)).toEqual([seqs[0], seqs[1]]);
      expect(store.remove(seqs[1]!)).toBe(true);
      expect(store.remove(seqs[1]!)).toBe(false);
      expect(store.remove(999_999)).toBe(false);
      expect(store.peek(0, 10).map((r) => r.seq)).toEqual([seqs[0], seqs[2], seqs[3]]);
      expect(store.stats().depth).toBe(3);
    });

    it('when full, drops the oldest telemetry first and counts it', () => {
      const store = open(4 * RECORD);
      store.append('telemetry', TOPIC, payload(1));
      store.append('event', TOPIC, payload(2));
      store.append('telemetry', TOPIC, payload(3));
      store.append('event', TOPIC, payload(4));
      store.append('event', TOPIC, payload(5)); // drops telemetry 1
      store.append('telemetry', TOPIC, payload(6)); // drops telemetry 3
      expect(store.peek(0, 10).map((r) => r.payload.toString())).toEqual(['p0002', 'p0004', 'p0005', 'p0006']);
      expect(store.stats()).toMatchObject({ depth: 4, bytes: 4 * RECORD, dropped: 2, droppedTelemetry: 2, droppedEvents: 0 });
    });

    it('drops events last: new telemetry never evicts events; a new event evicts the oldest event', () => {
      const store = open(3 * RECORD);
      for (const n of [1, 2, 3]) store.append('event', TOPIC, payload(n));
      store.append('telemetry', TOPIC, payload(4)); // no room, and only events to evict: dropped itself
      expect(store.peek(0, 10).map((r) => r.payload.toString())).toEqual(['p0001', 'p0002', 'p0003']);
      store.append('event', TOPIC, payload(5)); // evicts event 1
      expect(store.peek(0, 10).map((r) => r.payload.toString())).toEqual(['p0002', 'p0003', 'p0005']);
      expect(store.stats()).toMatchObject({ depth: 3, dropped: 2, droppedTelemetry: 1, droppedEvents: 1 });
    });

    it('stays within maxBytes under a long run of mixed appends and acks', () => {
      const store = open(50 * RECORD);
      let acked = 0;
      for (let n = 0; n < 2000; n++) {
        store.append(n % 10 === 0 ? 'event' : 'telemetry', TOPIC, payload(n % 10_000));
        if (n % 3 === 0) {
          const head = store.peek(0, 1)[0];
          if (head && store.remove(head.seq)) acked++;
        }
        expect(store.stats().bytes).toBeLessThanOrEqual(50 * RECORD);
      }
      const s = store.stats();
      expect(s.depth + acked + s.dropped).toBe(2000);
      // Events are 1 in 10 and the bound holds 50: none had to go.
      expect(s.droppedEvents).toBe(0);
    });

    it('refuses a record larger than the whole outbox', () => {
      const store = open(RECORD - 1);
      expect(() => store.append('event', TOPIC, payload(1))).toThrow(expect.objectContaining({ code: 'SW_EDGE_OUTBOX_RECORD_TOO_LARGE' }));
    });

    it('refuses use after close', () => {
      const store = open();
      store.close();
      expect(() => store.append('event', TOPIC, payload(1))).toThrow(expect.objectContaining({ code: 'SW_EDGE_OUTBOX_CLOSED' }));
    });
  });
}
