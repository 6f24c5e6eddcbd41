import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openFileOutbox } from './file-store.js';
import { describeOutboxStore } from './store-contract.test-suite.js';

const root = mkdtempSync(join(tmpdir(), 'sw-outbox-'));
let dirCount = 0;
const freshDir = () => join(root, `o${dirCount++}`);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describeOutboxStore('file (fsync always)', (bounds) => openFileOutbox({ dir: freshDir(), fsync: 'always', ...bounds }));
describeOutboxStore('file (fsync never, tiny segments)', (bounds) => openFileOutbox({ dir: freshDir(), fsync: 'never', segmentBytes: 200, ...bounds }));

const segFiles = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.log')).sort();
const texts = (store: ReturnType<typeof openFileOutbox>) => store.peek(0, 1e6).map((r) => r.payload.toString());

describe('file outbox on disk', () => {
  it('keeps waiting records across a reopen, in order, and forgets acknowledged ones', () => {
    const dir = freshDir();
    const a = openFileOutbox({ dir, fsync: 'interval', segmentBytes: 256 });
    const seqs = Array.from({ length: 20 }, (_, i) => a.append(i % 4 === 0 ? 'event' : 'telemetry', 'x/y', Buffer.from(`m${i}`)));
    for (const seq of seqs.slice(0, 5)) a.remove(seq);
    a.close();
    const b = openFileOutbox({ dir, segmentBytes: 256 });
    expect(texts(b)).toEqual(Array.from({ length: 15 }, (_, i) => `m${i + 5}`));
    expect(b.peek(0, 100).map((r) => r.priority).filter((p) => p === 'event')).toHaveLength(3); // events m8, m12, m16
    // New seqs continue after the old ones, so replay order stays append order.
    const next = b.append('event', 'x/y', Buffer.from('new'));
    expect(next).toBeGreaterThan(seqs.at(-1)!);
    b.close();
  });

  it('ignores a torn last record (crash mid-write) and cuts it off so appends continue cleanly', () => {
    const dir = freshDir();
    const a = openFileOutbox({ dir, fsync: 'always' });
    a.append('event', 'x/y', Buffer.from('one'));
    a.append('event', 'x/y', Buffer.from('two'));
    a.close();
    const last = join(dir, segFiles(dir).at(-1)!);
    const sizeBefore = statSync(last).size;
    // Half a record: a length prefix promising 40 bytes, then only 5 of them.
    const torn = Buffer.alloc(13);
    torn.writeUInt32LE(40, 0);
    appendFileSync(last, torn);
    const b = openFileOutbox({ dir, fsync: 'always' });
    expect(texts(b)).toEqual(['one', 'two']);
    expect(b.stats().tornRecords).toBe(1);
    expect(statSync(last).size).toBe(sizeBefore);
    b.append('event', 'x/y', Buffer.from('three'));
    b.close();
    const c = openFileOutbox({ dir });
    expect(texts(c)).toEqual(['one', 'two', 'three']);
    expect(c.stats().tornRecords).toBe(0);
    c.close();
  });

  it('detects a record whose bytes do not match its CRC', () => {
    const dir = freshDir();
    const a = openFileOutbox({ dir, fsync: 'always' });
    a.append('event', 'x/y', Buffer.from('good'));
    a.append('event', 'x/y', Buffer.from('flip'));
    a.close();
    const file = join(dir, segFiles(dir)[0]!);
    const bytes = readFileSync(file);
    const at = bytes.lastIndexOf(Buffer.from('flip'));
    bytes[at] = 'F'.charCodeAt(0);
    writeFileSync(file, bytes);
    const b = openFileOutbox({ dir });
    expect(texts(b)).toEqual(['good']);
    expect(b.stats().tornRecords).toBe(1);
    b.close();
  });

  it('deletes drained segments, and compacts segments kept alive by a few waiting events', () => {
    const dir = freshDir();
    const RECORD = 20 + 3 + 100;
    const store = openFileOutbox({ dir, fsync: 'never', segmentBytes: 10 * RECORD, maxBytes: 60 * RECORD, maxDiskBytes: 130 * RECORD });
    const body = Buffer.alloc(100, 1);
    // Normal running: each message acknowledged soon after → old segments go away.
    for (let i = 0; i < 200; i++) store.remove(store.append('telemetry', 'x/y', body));
    expect(segFiles(dir).length).toBeLessThanOrEqual(2);
    // Offline: events every 10th message, telemetry dropped around them. Disk must stay bounded.
    const events: number[] = [];
    for (let i = 0; i < 400; i++) {
      const seq = store.append(i % 10 === 0 ? 'event' : 'telemetry', 'x/y', body);
      if (i % 10 === 0) events.push(seq);
      expect(store.stats().diskBytes).toBeLessThanOrEqual(140 * RECORD);
    }
    const waiting = store.peek(0, 1000);
    // All 40 events fit in the bound and are kept, in order; telemetry fills the other 20 places.
    expect(waiting.filter((r) => r.priority === 'event').map((r) => r.seq)).toEqual(events);
    expect(waiting).toHaveLength(60);
    expect(store.stats()).toMatchObject({ droppedEvents: 0, droppedTelemetry: 400 - 60 });
    const before = waiting.map((r) => r.seq);
    store.close();
    const again = openFileOutbox({ dir, segmentBytes: 10 * RECORD, maxBytes: 60 * RECORD, maxDiskBytes: 130 * RECORD });
    expect(again.peek(0, 1000).map((r) => r.seq)).toEqual(before);
    again.close();
  });
});
