import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  truncateSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { SW_EDGE_OUTBOX_CLOSED, SW_EDGE_OUTBOX_DIR, SW_EDGE_OUTBOX_RECORD_TOO_LARGE } from '../errors.js';
import { OutboxIndex, type IndexEntry } from './outbox-index.js';
import { SEGMENT_MAGIC, decodeRecord, encodeCommit, encodeData, encodeTombstone, type TombstoneReason } from './record-format.js';
import { DEFAULT_OUTBOX_BOUNDS, type FsyncPolicy, type OutboxBounds, type OutboxPriority, type OutboxRecord, type OutboxStats, type OutboxStore } from './types.js';

export interface FileOutboxOptions extends OutboxBounds {
  /** Directory holding the segment files (created if missing). */
  dir: string;
  /** When appended records reach stable storage: every append, every fsyncIntervalMs, or when the OS decides. Default 'interval'. */
  fsync: FsyncPolicy;
  /** Period of the 'interval' fsync policy, ms. Default 1000. */
  fsyncIntervalMs: number;
  /** A segment file is closed and a new one started beyond this size, bytes. Default 1 MiB. */
  segmentBytes: number;
  /** Rewrite the outbox with only waiting records when the files take more than this, bytes. Default 2 × maxBytes + 2 × segmentBytes. */
  maxDiskBytes?: number;
}

export const DEFAULT_FILE_OUTBOX_OPTIONS: Omit<FileOutboxOptions, 'dir'> = {
  ...DEFAULT_OUTBOX_BOUNDS,
  fsync: 'interval',
  fsyncIntervalMs: 1000,
  segmentBytes: 1024 * 1024,
};

interface Segment {
  id: number;
  path: string;
  fd: number;
  size: number;
  /** Waiting records whose bytes live in this segment. */
  live: number;
}

interface FileEntry extends IndexEntry {
  topic: string;
  segmentId: number;
  payloadOffset: number;
  payloadLength: number;
}

const SEGMENT_NAME = /^seg-(\d{12})\.log$/;
const segmentName = (id: number) => `seg-${String(id).padStart(12, '0')}.log`;

function writeAll(fd: number, bytes: Buffer): void {
  let written = 0;
  while (written < bytes.byteLength) written += writeSync(fd, bytes, written, bytes.byteLength - written);
}

function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Disk outbox: append-only segment files. Acknowledged and dropped messages get a tombstone record; a
 * segment is deleted once it is the oldest and holds no waiting message. When old segments are kept alive
 * by a few waiting events (offline for long, telemetry dropped around them), the store rewrites the
 * waiting records into new segments and commits that with one record, so a crash at any point leaves
 * either the old or the new generation in force.
 */
export function openFileOutbox(options: Partial<FileOutboxOptions> & { dir: string }): OutboxStore & { readonly dir: string } {
  const opts = { ...DEFAULT_FILE_OUTBOX_OPTIONS, ...options };
  const { dir, maxBytes, segmentBytes, fsync } = opts;
  const maxDiskBytes = opts.maxDiskBytes ?? 2 * maxBytes + 2 * segmentBytes;
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw SW_EDGE_OUTBOX_DIR([dir, (err as Error).message], { cause: err });
  }

  const index = new OutboxIndex<FileEntry>(maxBytes);
  const segments: Segment[] = [];
  const byId = new Map<number, Segment>();
  let tornRecords = 0;
  let nextSeq = 1;
  let closed = false;
  let dirty = false;

  // --- recovery -------------------------------------------------------------------------------
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    throw SW_EDGE_OUTBOX_DIR([dir, (err as Error).message], { cause: err });
  }
  for (const name of names) if (name.endsWith('.tmp')) unlinkSync(join(dir, name));
  const ids = names.flatMap((n) => {
    const m = SEGMENT_NAME.exec(n);
    return m ? [Number(m[1])] : [];
  }).sort((a, b) => a - b);

  interface Found { seq: number; priority: OutboxPriority; topic: string; segmentId: number; payloadOffset: number; payloadLength: number; size: number }
  const found = new Map<number, Found>();
  const dead = new Set<number>();
  let commitFloor = 0;
  const sizes = new Map<number, number>();
  for (const id of ids) {
    const path = join(dir, segmentName(id));
    const file = readFileSync(path);
    let offset = SEGMENT_MAGIC.byteLength;
    if (file.byteLength < offset || !file.subarray(0, offset).equals(SEGMENT_MAGIC)) {
      // Crashed while creating the segment: nothing in it was ever acknowledged as written.
      const fd = openSync(path, 'w');
      writeAll(fd, SEGMENT_MAGIC);
      closeSync(fd);
      tornRecords += file.byteLength > 0 ? 1 : 0;
      sizes.set(id, SEGMENT_MAGIC.byteLength);
      continue;
    }
    for (;;) {
      const rec = decodeRecord(file, offset);
      if (rec === 'end') break;
      if (rec === 'torn') {
        tornRecords++;
        truncateSync(path, offset);
        break;
      }
      offset += rec.recordBytes;
      if (rec.type === 'data') {
        nextSeq = Math.max(nextSeq, rec.seq + 1);
        // A seq found twice is a compaction copy (identical); keep the newest copy.
        found.set(rec.seq, { seq: rec.seq, priority: rec.priority, topic: rec.topic, segmentId: id, payloadOffset: rec.payloadOffset, payloadLength: rec.payloadLength, size: rec.recordBytes });
      } else if (rec.type === 'tombstone') {
        nextSeq = Math.max(nextSeq, rec.seq + 1);
        dead.add(rec.seq);
      } else {
        commitFloor = Math.max(commitFloor, rec.firstSegmentId);
      }
    }
    sizes.set(id, offset);
  }
  for (const id of ids) {
    if (id < commitFloor) {
      unlinkSync(join(dir, segmentName(id)));
      continue;
    }
    const seg: Segment = { id, path: join(dir, segmentName(id)), fd: openSync(join(dir, segmentName(id)), 'a+'), size: sizes.get(id) ?? 0, live: 0 };
    segments.push(seg);
    byId.set(id, seg);
  }
  for (const f of [...found.values()].sort((a, b) => a.seq - b.seq)) {
    if (dead.has(f.seq) || f.segmentId < commitFloor) continue;
    index.add({ seq: f.seq, priority: f.priority, size: f.size, topic: f.topic, segmentId: f.segmentId, payloadOffset: f.payloadOffset, payloadLength: f.payloadLength });
    byId.get(f.segmentId)!.live++;
  }

  function createSegment(id: number): Segment {
    const path = join(dir, segmentName(id));
    const fd = openSync(path, 'a+');
    writeAll(fd, SEGMENT_MAGIC);
    const seg: Segment = { id, path, fd, size: SEGMENT_MAGIC.byteLength, live: 0 };
    segments.push(seg);
    byId.set(id, seg);
    if (fsync !== 'never') {
      fsyncSync(fd);
      syncDir(dir);
    }
    return seg;
  }

  // Always start a fresh segment: the tail of the last one may just have been cut.
  let active = createSegment((segments.at(-1)?.id ?? 0) + 1);

  const diskBytes = () => segments.reduce((sum, s) => sum + s.size, 0);

  function syncActive(): void {
    if (dirty && fsync !== 'never') fsyncSync(active.fd);
    dirty = false;
  }

  function deleteSegment(seg: Segment): void {
    closeSync(seg.fd);
    unlinkSync(seg.path);
    byId.delete(seg.id);
    segments.splice(segments.indexOf(seg), 1);
  }

  /** Oldest segments with nothing waiting go; their tombstones only concern themselves and older files. */
  function deleteDrainedHeads(): void {
    while (segments.length > 1 && segments[0] !== active && segments[0]!.live === 0) deleteSegment(segments[0]!);
  }

  function writeRecord(bytes: Buffer): number {
    const at = active.size;
    writeAll(active.fd, bytes);
    active.size += bytes.byteLength;
    dirty = true;
    return at;
  }

  function tombstone(seq: number, reason: TombstoneReason): FileEntry | undefined {
    const entry = index.delete(seq);
    if (entry === undefined) return undefined;
    writeRecord(encodeTombstone(seq, reason));
    byId.get(entry.segmentId)!.live--;
    return entry;
  }

  function readPayload(entry: FileEntry): Buffer {
    const buf = Buffer.allocUnsafe(entry.payloadLength);
    let got = 0;
    const seg = byId.get(entry.segmentId)!;
    while (got < buf.byteLength) {
      const n = readSync(seg.fd, buf, got, buf.byteLength - got, entry.payloadOffset + got);
      if (n === 0) throw new Error(`outbox segment ${seg.path} is shorter than its index says`);
      got += n;
    }
    return buf;
  }

  /** Rewrite every waiting record into a new generation of segments, then drop the old files. */
  function compact(): void {
    syncActive();
    const old = [...segments];
    const firstId = active.id + 1;
    let target = createSegment(firstId);
    const moved: Array<[FileEntry, number, number]> = [];
    for (const entry of index.entries.values()) {
      const payload = readPayload(entry);
      const { bytes, payloadStart } = encodeData(entry.seq, entry.priority, entry.topic, payload);
      if (target.size + bytes.byteLength > segmentBytes && target.size > SEGMENT_MAGIC.byteLength) {
        if (fsync !== 'never') fsyncSync(target.fd);
        target = createSegment(target.id + 1);
      }
      const at = target.size;
      writeAll(target.fd, bytes);
      target.size += bytes.byteLength;
      target.live++;
      moved.push([entry, target.id, at + payloadStart]);
    }
    writeAll(target.fd, encodeCommit(firstId));
    target.size += encodeCommit(firstId).byteLength;
    fsyncSync(target.fd);
    syncDir(dir);
    for (const [entry, segmentId, payloadOffset] of moved) {
      entry.segmentId = segmentId;
      entry.payloadOffset = payloadOffset;
    }
    for (const seg of old) deleteSegment(seg);
    active = target;
    dirty = false;
  }

  deleteDrainedHeads();
  if (diskBytes() > maxDiskBytes) compact();

  const timer = fsync === 'interval' ? setInterval(syncActive, opts.fsyncIntervalMs) : undefined;
  timer?.unref();

  const check = () => {
    if (closed) throw SW_EDGE_OUTBOX_CLOSED([dir]);
  };
  const drop = (seq: number) => {
    const entry = tombstone(seq, 'dropped');
    if (entry) index.countDrop(entry.priority);
  };

  return {
    dir,
    append(priority: OutboxPriority, topic: string, payload: Buffer): number {
      check();
      const seq = nextSeq++;
      const { bytes, payloadStart } = encodeData(seq, priority, topic, payload);
      if (bytes.byteLength > maxBytes) throw SW_EDGE_OUTBOX_RECORD_TOO_LARGE([bytes.byteLength, maxBytes]);
      if (!index.makeRoom(bytes.byteLength, priority, drop)) {
        index.countDrop(priority);
        return seq;
      }
      if (active.size + bytes.byteLength > segmentBytes && active.size > SEGMENT_MAGIC.byteLength) {
        syncActive();
        active = createSegment(active.id + 1);
      }
      const at = writeRecord(bytes);
      active.live++;
      index.add({ seq, priority, size: bytes.byteLength, topic, segmentId: active.id, payloadOffset: at + payloadStart, payloadLength: payload.byteLength });
      if (fsync === 'always') syncActive();
      deleteDrainedHeads();
      if (diskBytes() > maxDiskBytes) compact();
      return seq;
    },
    peek(afterSeq: number, max: number): OutboxRecord[] {
      check();
      const out: OutboxRecord[] = [];
      for (const e of index.after(afterSeq, max)) out.push({ seq: e.seq, priority: e.priority, topic: e.topic, payload: readPayload(e) });
      return out;
    },
    remove(seq: number): boolean {
      check();
      if (tombstone(seq, 'acked') === undefined) return false;
      deleteDrainedHeads();
      return true;
    },
    stats(): OutboxStats {
      return index.stats(closed ? 0 : diskBytes(), tornRecords);
    },
    flush(): void {
      check();
      fsyncSync(active.fd);
      dirty = false;
    },
    close(): void {
      if (closed) return;
      if (timer) clearInterval(timer);
      syncActive();
      for (const seg of segments) closeSync(seg.fd);
      closed = true;
    },
  };
}
