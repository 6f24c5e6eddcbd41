/**
 * A small Mapbox Vector Tile (MVT 2.1) encoder for hand-made test tiles: points, lines and polygons with
 * string properties, written straight as protobuf (varints and length-delimited fields). Enough for the
 * basemap fixture; not a general encoder (no clipping: callers pass shapes already inside the tile).
 */

export type TileGeometry =
  | { type: 'Point'; points: Array<[x: number, y: number]> }
  | { type: 'LineString'; points: Array<[x: number, y: number]> }
  | { type: 'Polygon'; ring: Array<[x: number, y: number]> };

export interface TileFeature {
  geometry: TileGeometry;
  properties: Record<string, string>;
}

export interface TileLayer {
  name: string;
  features: TileFeature[];
}

export const TILE_EXTENT = 4096;

class Writer {
  readonly bytes: number[] = [];
  varint(value: number): this {
    let v = value;
    while (v >= 0x80) {
      this.bytes.push((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    this.bytes.push(v);
    return this;
  }
  tag(field: number, wireType: 0 | 2): this {
    return this.varint((field << 3) | wireType);
  }
  /** A length-delimited field: a nested message, a string or packed varints. */
  bytesField(field: number, payload: number[] | Uint8Array): this {
    this.tag(field, 2).varint(payload.length);
    for (const b of payload) this.bytes.push(b);
    return this;
  }
  stringField(field: number, value: string): this {
    return this.bytesField(field, new TextEncoder().encode(value));
  }
  packed(field: number, values: number[]): this {
    const inner = new Writer();
    for (const v of values) inner.varint(v);
    return this.bytesField(field, inner.bytes);
  }
}

const zigzag = (n: number): number => (n << 1) ^ (n >> 31);
const command = (id: 1 | 2 | 7, count: number): number => (id & 0x7) | (count << 3);

/** The geometry commands of one feature: MoveTo/LineTo with zigzag deltas from the cursor, ClosePath for rings. */
function geometryCommands(geometry: TileGeometry): { type: 1 | 2 | 3; commands: number[] } {
  const out: number[] = [];
  let cx = 0;
  let cy = 0;
  const delta = ([x, y]: [number, number]) => {
    out.push(zigzag(Math.round(x) - cx), zigzag(Math.round(y) - cy));
    cx = Math.round(x);
    cy = Math.round(y);
  };
  switch (geometry.type) {
    case 'Point':
      out.push(command(1, geometry.points.length));
      geometry.points.forEach(delta);
      return { type: 1, commands: out };
    case 'LineString':
      out.push(command(1, 1));
      delta(geometry.points[0]!);
      out.push(command(2, geometry.points.length - 1));
      geometry.points.slice(1).forEach(delta);
      return { type: 2, commands: out };
    case 'Polygon': {
      // The ring without its closing point; ClosePath joins it. Exterior rings are clockwise in tile
      // coordinates (y down), which the spec reads as a positive area.
      const ring = geometry.ring;
      out.push(command(1, 1));
      delta(ring[0]!);
      out.push(command(2, ring.length - 1));
      ring.slice(1).forEach(delta);
      out.push(command(7, 1));
      return { type: 3, commands: out };
    }
  }
}

export function encodeTile(layers: readonly TileLayer[]): Uint8Array {
  const tile = new Writer();
  for (const layer of layers) {
    const keys: string[] = [];
    const values: string[] = [];
    const index = (list: string[], value: string) => {
      const at = list.indexOf(value);
      return at >= 0 ? at : list.push(value) - 1;
    };
    const body = new Writer();
    body.varint((15 << 3) | 0).varint(2); // version 2
    body.stringField(1, layer.name);
    layer.features.forEach((feature, i) => {
      const tags = Object.entries(feature.properties).flatMap(([k, v]) => [index(keys, k), index(values, v)]);
      const { type, commands } = geometryCommands(feature.geometry);
      const f = new Writer();
      f.tag(1, 0).varint(i + 1);
      if (tags.length > 0) f.packed(2, tags);
      f.tag(3, 0).varint(type);
      f.packed(4, commands);
      body.bytesField(2, f.bytes);
    });
    for (const key of keys) body.stringField(3, key);
    for (const value of values) body.bytesField(4, new Writer().stringField(1, value).bytes);
    body.tag(5, 0).varint(TILE_EXTENT);
    tile.bytesField(3, body.bytes);
  }
  return Uint8Array.from(tile.bytes);
}
