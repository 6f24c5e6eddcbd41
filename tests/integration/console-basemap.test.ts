import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { PMTiles, zxyToTileId, type RangeResponse, type Source } from 'pmtiles';
import { createEmbeddedDatabase, migrate, type Database } from '@streetwise/db';
import { build } from '@streetwise/console';
import { bearerFor } from '../src/console-auth.js';
import { buildFixtureArchive, FIXTURE_FILE, FIXTURE_MAX_ZOOM } from '../src/render/make-pmtiles.js';
import { tileIdOf } from '../src/render/pmtiles-writer.js';

/** The pmtiles reader over the console's route: every read is an HTTP Range request through fastify. */
class ConsoleSource implements Source {
  readonly statuses: number[] = [];
  constructor(
    private readonly app: FastifyInstance,
    private readonly headers: Record<string, string>,
  ) {}
  getKey(): string {
    return '/basemap/tiles.pmtiles';
  }
  async getBytes(offset: number, length: number): Promise<RangeResponse> {
    const res = await this.app.inject({ method: 'GET', url: '/basemap/tiles.pmtiles', headers: { ...this.headers, range: `bytes=${offset}-${offset + length - 1}` } });
    this.statuses.push(res.statusCode);
    return { data: new Uint8Array(res.rawPayload).slice().buffer };
  }
}

describe('basemap: map config and the Protomaps file served in Range requests', () => {
  let db: Database;
  let pmtilesApp: FastifyInstance;
  let styleApp: FastifyInstance;
  let offlineApp: FastifyInstance;
  let viewer: Record<string, string>;

  beforeAll(async () => {
    db = await createEmbeddedDatabase({ dataDir: 'memory://' });
    await migrate(db);
    const common = { db, analytics: false as const, webApp: { dist: '/nonexistent' } };
    pmtilesApp = await build({ ...common, basemap: { pmtiles: FIXTURE_FILE } });
    styleApp = await build({ ...common, basemap: { style: 'https://tiles.example.org/style.json', pmtiles: FIXTURE_FILE } });
    offlineApp = await build(common);
    viewer = await bearerFor(db, 'viewer-1', 'viewer');
  });
  afterAll(async () => {
    for (const app of [pmtilesApp, styleApp, offlineApp]) await app?.close();
    await db?.close();
  });

  it('GET /api/v1/map/config says which basemap to draw, to any signed-in role', async () => {
    const config = async (app: FastifyInstance) => (await app.inject({ url: '/api/v1/map/config', headers: viewer })).json();
    expect(await config(pmtilesApp)).toEqual({ basemap: 'pmtiles', styleUrl: null, pmtilesUrl: '/basemap/tiles.pmtiles', attribution: '© OpenStreetMap' });
    expect(await config(styleApp)).toEqual({ basemap: 'style', styleUrl: 'https://tiles.example.org/style.json', pmtilesUrl: null, attribution: null });
    expect(await config(offlineApp)).toEqual({ basemap: 'offline', styleUrl: null, pmtilesUrl: null, attribution: null });
    expect((await pmtilesApp.inject({ url: '/api/v1/map/config' })).statusCode).toBe(401);
  });

  it('answers a Range request with 206 and exactly those bytes; refuses strangers; a style URL serves no file', async () => {
    const file = readFileSync(FIXTURE_FILE);
    const res = await pmtilesApp.inject({ url: '/basemap/tiles.pmtiles', headers: { ...viewer, range: 'bytes=0-126' } });
    expect(res.statusCode).toBe(206);
    expect(res.headers['content-range']).toBe(`bytes 0-126/${file.length}`);
    expect(res.headers['accept-ranges']).toBe('bytes');
    expect(Buffer.compare(res.rawPayload, file.subarray(0, 127))).toBe(0);
    // The reader's first request asks for 16 KiB of a smaller file: the server answers what there is.
    const first = await pmtilesApp.inject({ url: '/basemap/tiles.pmtiles', headers: { ...viewer, range: 'bytes=0-16383' } });
    expect(first.statusCode).toBe(206);
    expect(first.rawPayload.length).toBe(file.length);
    expect((await pmtilesApp.inject({ url: '/basemap/tiles.pmtiles', headers: { range: 'bytes=0-126' } })).statusCode).toBe(401);
    expect((await styleApp.inject({ url: '/basemap/tiles.pmtiles', headers: viewer })).statusCode).toBe(404);
  });

  it('the pmtiles reader reads the fixture through the route: header, every tile, metadata', async () => {
    const source = new ConsoleSource(pmtilesApp, viewer);
    const archive = new PMTiles(source);
    const header = await archive.getHeader();
    expect([header.specVersion, header.minZoom, header.maxZoom, header.tileType, header.numAddressedTiles]).toEqual([3, 0, FIXTURE_MAX_ZOOM, 1, 21]);
    for (let z = 0; z <= FIXTURE_MAX_ZOOM; z++) {
      for (let x = 0; x < 1 << z; x++) for (let y = 0; y < 1 << z; y++) expect((await archive.getZxy(z, x, y))?.data.byteLength, `${z}/${x}/${y}`).toBeGreaterThan(0);
    }
    expect(await archive.getZxy(3, 0, 0)).toBeUndefined();
    expect((await archive.getMetadata()) as { attribution: string }).toMatchObject({ attribution: '© OpenStreetMap' });
    expect(new Set(source.statuses)).toEqual(new Set([206]));
  });

  it('the fixture is what make-pmtiles builds, and its tile ids are the spec\'s Hilbert ids', () => {
    expect(Buffer.compare(Buffer.from(buildFixtureArchive()), readFileSync(FIXTURE_FILE))).toBe(0);
    for (let z = 0; z <= 6; z++) for (let x = 0; x < 1 << z; x++) for (let y = 0; y < 1 << z; y++) expect(tileIdOf(z, x, y)).toBe(zxyToTileId(z, x, y));
  });
});
