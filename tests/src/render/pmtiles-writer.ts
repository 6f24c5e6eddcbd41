/**
 * Writes a PMTiles v3 archive (github.com/protomaps/PMTiles spec/v3): the 127-byte header, a root
 * directory of varint columns (tile-id deltas, run lengths, lengths, offsets), the JSON metadata, then the
 * tile data. Uncompressed directories and tiles, no leaf directories: for small hand-made fixtures.
 */

export interface ArchiveTile {
  z: number;
  x: number;
  y: number;
  data: Uint8Array;
}

export interface ArchiveOptions {
  tiles: readonly ArchiveTile[];
  metadata: Record<string, unknown>;
  /** [west, south, east, north] in degrees. */
  bounds: [number, number, number, number];
  center: [lon: number, lat: number, zoom: number];
}

const HEADER_BYTES = 127;
const COMPRESSION_NONE = 1;
const TILE_TYPE_MVT = 1;

/** The Hilbert-curve tile id of the spec: every tile of lower zooms first, then the position on the curve at z. */
export function tileIdOf(z: number, x: number, y: number): number {
  let id = ((1 << z) * (1 << z) - 1) / 3;
  let tx = x;
  let ty = y;
  for (let s = (1 << z) >> 1; s > 0; s >>= 1) {
    const rx = (tx & s) > 0 ? 1 : 0;
    const ry = (ty & s) > 0 ? 1 : 0;
    id += s * s * ((3 * rx) ^ ry);
    // Rotate the quadrant so the curve continues (as in the spec's reference code).
    if (ry === 0) {
      if (rx === 1) {
        tx = s - 1 - tx;
        ty = s - 1 - ty;
      }
      [tx, ty] = [ty, tx];
    }
  }
  return id;
}

function varints(values: number[]): number[] {
  const out: number[] = [];
  for (const value of values) {
    let v = value;
    while (v >= 0x80) {
      out.push((v % 128) | 0x80);
      v = Math.floor(v / 128);
    }
    out.push(v);
  }
  return out;
}

export function writeArchive(options: ArchiveOptions): Uint8Array {
  const tiles = [...options.tiles].map((t) => ({ ...t, id: tileIdOf(t.z, t.x, t.y) })).sort((a, b) => a.id - b.id);
  const entries: Array<{ id: number; offset: number; length: number }> = [];
  let dataLength = 0;
  for (const tile of tiles) {
    entries.push({ id: tile.id, offset: dataLength, length: tile.data.length });
    dataLength += tile.data.length;
  }
  const directory = Uint8Array.from(
    varints([
      entries.length,
      ...entries.map((e, i) => e.id - (i > 0 ? entries[i - 1]!.id : 0)),
      ...entries.map(() => 1),
      ...entries.map((e) => e.length),
      // 0 means "right after the previous tile"; otherwise offset + 1.
      ...entries.map((e, i) => (i > 0 && e.offset === entries[i - 1]!.offset + entries[i - 1]!.length ? 0 : e.offset + 1)),
    ]),
  );
  const metadata = new TextEncoder().encode(JSON.stringify(options.metadata));
  const rootOffset = HEADER_BYTES;
  const metadataOffset = rootOffset + directory.length;
  const dataOffset = metadataOffset + metadata.length;

  const header = new DataView(new ArrayBuffer(HEADER_BYTES));
  new TextEncoder().encodeInto('PMTiles', new Uint8Array(header.buffer, 0, 7));
  header.setUint8(7, 3);
  const u64 = (at: number, value: number) => header.setBigUint64(at, BigInt(value), true);
  u64(8, rootOffset);
  u64(16, directory.length);
  u64(24, metadataOffset);
  u64(32, metadata.length);
  u64(40, dataOffset); // no leaf directories: an empty section where the data starts
  u64(48, 0);
  u64(56, dataOffset);
  u64(64, dataLength);
  u64(72, tiles.length);
  u64(80, entries.length);
  u64(88, tiles.length);
  header.setUint8(96, 1); // clustered: tiles in tile-id order
  header.setUint8(97, COMPRESSION_NONE);
  header.setUint8(98, COMPRESSION_NONE);
  header.setUint8(99, TILE_TYPE_MVT);
  header.setUint8(100, Math.min(...tiles.map((t) => t.z)));
  header.setUint8(101, Math.max(...tiles.map((t) => t.z)));
  const e7 = (deg: number) => Math.round(deg * 1e7);
  header.setInt32(102, e7(options.bounds[0]), true);
  header.setInt32(106, e7(options.bounds[1]), true);
  header.setInt32(110, e7(options.bounds[2]), true);
  header.setInt32(114, e7(options.bounds[3]), true);
  header.setUint8(118, options.center[2]);
  header.setInt32(119, e7(options.center[0]), true);
  header.setInt32(123, e7(options.center[1]), true);

  const archive = new Uint8Array(dataOffset + dataLength);
  archive.set(new Uint8Array(header.buffer), 0);
  archive.set(directory, rootOffset);
  archive.set(metadata, metadataOffset);
  let at = dataOffset;
  for (const tile of tiles) {
    archive.set(tile.data, at);
    at += tile.data.length;
  }
  return archive;
}
