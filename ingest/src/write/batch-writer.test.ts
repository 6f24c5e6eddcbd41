import { describe, expect, it } from 'vitest';
import { BatchWriter, type BatchWriterHooks } from './batch-writer.js';
import type { BatchOutcome } from './commit-batch.js';
import type { IntakeItem } from '../types.js';

// The writer's scheduling, retry and split logic, against a scripted commit function. The real
// database is exercised by tests/integration/ingest-*.test.ts.
const item = (n: number): IntakeItem => ({
  topic: `t/${n}`, payload: Buffer.from(String(n)), clientId: null, receivedAtMs: 0, accepted: false, reasonCode: 'bad_json', reason: String(n), deviceId: null,
});
const outcome = (items: IntakeItem[]): BatchOutcome => ({ outcomes: items.map(() => 'dead_letter'), events: [], incidents: [], devices: [], deadLetters: [], queuedSafety: 0 });

function harness(commit: (items: IntakeItem[]) => Promise<BatchOutcome>) {
  const batches: string[][] = [];
  const failures: string[] = [];
  const hooks: BatchWriterHooks = {
    commit: async (items) => {
      batches.push(items.map((i) => i.topic));
      return commit(items);
    },
    committed: () => {},
    failed: (_err, kind) => failures.push(kind),
    refused: () => {},
  };
  return { batches, failures, hooks };
}

describe('BatchWriter', () => {
  it('with maxInFlight 1, commits one batch at a time and fills the next meanwhile (group commit)', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const h = harness(async (items) => {
      if (items[0]!.topic === 't/0') await gate;
      return outcome(items);
    });
    const writer = new BatchWriter(h.hooks, { maxRows: 3, maxWaitMs: 5, maxInFlight: 1 });
    const results = [0, 1, 2, 3, 4, 5, 6].map((n) => writer.submit(item(n)));
    await new Promise((r) => setImmediate(r));
    expect(h.batches).toEqual([['t/0', 't/1', 't/2']]); // full batch went at once; the rest waits for it
    release();
    expect(await Promise.all(results)).toEqual(Array(7).fill('dead_letter'));
    expect(h.batches).toEqual([['t/0', 't/1', 't/2'], ['t/3', 't/4', 't/5'], ['t/6']]);
    await writer.close(1000);
  });

  it('sends a second batch once half a batch waits while the first commits, but a batch with a status message waits to commit alone', async () => {
    const gates = new Map<string, () => void>();
    const h = harness(async (items) => {
      await new Promise<void>((r) => gates.set(items[0]!.topic, r));
      return outcome(items);
    });
    const writer = new BatchWriter(h.hooks, { maxRows: 3, maxWaitMs: 5 });
    const birth = { ...item(9), topic: 't/birth', accepted: true, kind: 'status', deviceId: 'cam-1', message: {} } as unknown as IntakeItem;
    const results = [...[0, 1, 2, 3, 4, 5].map((n) => writer.submit(item(n))), writer.submit(birth), writer.submit(item(7))];
    await new Promise((r) => setImmediate(r));
    // Two batches in flight at once (the second went when 2 of 3 waited); the third holds a birth: it waits for both, then goes alone.
    expect(h.batches).toEqual([['t/0', 't/1', 't/2'], ['t/3', 't/4']]);
    gates.get('t/3')!();
    await new Promise((r) => setTimeout(r, 20));
    expect(h.batches).toHaveLength(2);
    gates.get('t/0')!();
    await new Promise((r) => setTimeout(r, 20));
    expect(h.batches).toEqual([['t/0', 't/1', 't/2'], ['t/3', 't/4'], ['t/5', 't/birth', 't/7']]);
    gates.get('t/5')!();
    expect(await Promise.all(results)).toEqual(Array(8).fill('dead_letter'));
    await writer.close(1000);
  });

  it('flushes once half of what can be in flight is waiting, so one half commits while the other arrives', async () => {
    const h = harness(async (items) => outcome(items));
    const writer = new BatchWriter(h.hooks, { maxRows: 500, maxWaitMs: 60_000 });
    writer.inFlightLimit = 4;
    const results = [writer.submit(item(0)), writer.submit(item(1))];
    expect(await Promise.all(results)).toEqual(['dead_letter', 'dead_letter']);
    expect(h.batches).toEqual([['t/0', 't/1']]);
    await writer.close(1000);
  });

  it('keeps the batch and retries with backoff while the database is unavailable', async () => {
    let failuresLeft = 3;
    const h = harness(async (items) => {
      if (failuresLeft-- > 0) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      return outcome(items);
    });
    const writer = new BatchWriter(h.hooks, { maxRows: 10, maxWaitMs: 1, retryInitialMs: 1, retryMaxMs: 4 });
    const results = [0, 1].map((n) => writer.submit(item(n)));
    expect(await Promise.all(results)).toEqual(['dead_letter', 'dead_letter']);
    expect(h.failures).toEqual(['unavailable', 'unavailable', 'unavailable']);
    expect(h.batches.at(-1)).toEqual(['t/0', 't/1']);
    await writer.close(1000);
  });

  it('splits a batch PostgreSQL refuses until the refused row stands alone, then dead-letters it', async () => {
    const h = harness(async (items) => {
      if (items.some((i) => i.topic === 't/5' && i.accepted === false && i.reasonCode !== 'db_rejected')) {
        throw Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' });
      }
      return outcome(items);
    });
    const writer = new BatchWriter(h.hooks, { maxRows: 8, maxWaitMs: 1 });
    const results = Array.from({ length: 8 }, (_, n) => writer.submit(item(n)));
    expect(await Promise.all(results)).toEqual(Array(8).fill('dead_letter'));
    expect(h.batches).toEqual([
      ['t/0', 't/1', 't/2', 't/3', 't/4', 't/5', 't/6', 't/7'],
      ['t/0', 't/1', 't/2', 't/3'],
      ['t/4', 't/5', 't/6', 't/7'],
      ['t/4', 't/5'],
      ['t/4'],
      ['t/5'],
      ['t/5'], // now as a db_rejected dead letter
      ['t/6', 't/7'],
    ]);
    await writer.close(1000);
  });

  it('holds submits beyond maxBuffered until there is room (backpressure), and rejects what is left at close', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const h = harness(async (items) => {
      await gate;
      return outcome(items);
    });
    const writer = new BatchWriter(h.hooks, { maxRows: 2, maxWaitMs: 1, maxBuffered: 2 });
    const first = [writer.submit(item(0)), writer.submit(item(1))];
    const held = writer.submit(item(2));
    expect([writer.buffered, writer.backlogged]).toEqual([2, 1]);
    release();
    expect(await Promise.all([...first, held])).toEqual(['dead_letter', 'dead_letter', 'dead_letter']);
    await writer.close(1000);
    await expect(writer.submit(item(3))).rejects.toMatchObject({ code: 'SW_INGEST_STOPPING' });
  });
});
