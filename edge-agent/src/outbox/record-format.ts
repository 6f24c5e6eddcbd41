import { crc32 } from 'node:zlib';
import type { OutboxPriority } from './types.js';

/**
 * On-disk record format of outbox segments. A segment file starts with SEGMENT_MAGIC, then records:
 *   u32le bodyLength | u32le crc32(body) | body
 * The length and CRC let recovery find a record torn by a crash mid-write (SIGKILL, power loss) and cut
 * the file there. Bodies:
 *   DATA      [1][priority u8][seq f64le][topicLength u16le][topic utf8][payload]
 *   TOMBSTONE [2][reason u8][seq f64le]        message acknowledged (1) or dropped (2)
 *   COMMIT    [3][firstSegmentId f64le]        a compaction finished: every segment below the id is obsolete
 */
export const SEGMENT_MAGIC = Buffer.from('SWOUTBX1', 'latin1');
export const RECORD_HEADER_BYTES = 8;
/** Sanity bound: a length above this is damage, not a record. */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

const enum Kind {
  Data = 1,
  Tombstone = 2,
  Commit = 3,
}

export type TombstoneReason = 'acked' | 'dropped';

export type DecodedRecord =
  | { type: 'data'; seq: number; priority: OutboxPriority; topic: string; payloadOffset: number; payloadLength: number; recordBytes: number }
  | { type: 'tombstone'; seq: number; reason: TombstoneReason; recordBytes: number }
  | { type: 'commit'; firstSegmentId: number; recordBytes: number };

function frame(body: Buffer): Buffer {
  const header = Buffer.allocUnsafe(RECORD_HEADER_BYTES);
  header.writeUInt32LE(body.byteLength, 0);
  header.writeUInt32LE(crc32(body), 4);
  return Buffer.concat([header, body]);
}

export function encodeData(seq: number, priority: OutboxPriority, topic: string, payload: Buffer): { bytes: Buffer; payloadStart: number } {
  const topicBytes = Buffer.from(topic, 'utf8');
  const head = Buffer.allocUnsafe(1 + 1 + 8 + 2);
  head.writeUInt8(Kind.Data, 0);
  head.writeUInt8(priority === 'event' ? 1 : 0, 1);
  head.writeDoubleLE(seq, 2);
  head.writeUInt16LE(topicBytes.byteLength, 10);
  const body = Buffer.concat([head, topicBytes, payload]);
  return { bytes: frame(body), payloadStart: RECORD_HEADER_BYTES + head.byteLength + topicBytes.byteLength };
}

export function encodeTombstone(seq: number, reason: TombstoneReason): Buffer {
  const body = Buffer.allocUnsafe(10);
  body.writeUInt8(Kind.Tombstone, 0);
  body.writeUInt8(reason === 'acked' ? 1 : 2, 1);
  body.writeDoubleLE(seq, 2);
  return frame(body);
}

export function encodeCommit(firstSegmentId: number): Buffer {
  const body = Buffer.allocUnsafe(9);
  body.writeUInt8(Kind.Commit, 0);
  body.writeDoubleLE(firstSegmentId, 1);
  return frame(body);
}

/**
 * Decode the record at `offset` of a segment's bytes. Returns 'end' at the end of the file and 'torn' for
 * an incomplete or damaged record (recovery cuts the file there).
 */
export function decodeRecord(file: Buffer, offset: number): DecodedRecord | 'end' | 'torn' {
  if (offset === file.byteLength) return 'end';
  if (offset + RECORD_HEADER_BYTES > file.byteLength) return 'torn';
  const length = file.readUInt32LE(offset);
  const crc = file.readUInt32LE(offset + 4);
  const start = offset + RECORD_HEADER_BYTES;
  if (length < 1 || length > MAX_BODY_BYTES || start + length > file.byteLength) return 'torn';
  const body = file.subarray(start, start + length);
  if (crc32(body) !== crc) return 'torn';
  const recordBytes = RECORD_HEADER_BYTES + length;
  switch (body.readUInt8(0) as Kind) {
    case Kind.Data: {
      if (length < 12) return 'torn';
      const topicLength = body.readUInt16LE(10);
      if (12 + topicLength > length) return 'torn';
      return {
        type: 'data',
        priority: body.readUInt8(1) === 1 ? 'event' : 'telemetry',
        seq: body.readDoubleLE(2),
        topic: body.toString('utf8', 12, 12 + topicLength),
        payloadOffset: start + 12 + topicLength,
        payloadLength: length - 12 - topicLength,
        recordBytes,
      };
    }
    case Kind.Tombstone:
      if (length !== 10) return 'torn';
      return { type: 'tombstone', reason: body.readUInt8(1) === 1 ? 'acked' : 'dropped', seq: body.readDoubleLE(2), recordBytes };
    case Kind.Commit:
      if (length !== 9) return 'torn';
      return { type: 'commit', firstSegmentId: body.readDoubleLE(1), recordBytes };
    default:
      return 'torn';
  }
}
