/**
 * The basemap: GET /api/v1/map/config tells the web app what to draw under the devices and incidents (the
 * offline districts map, a MapLibre style URL, or the console's own Protomaps file), and
 * GET /basemap/tiles.pmtiles serves that file with HTTP Range requests (206 Partial Content), which is how
 * the `pmtiles` protocol reads a tile: one small range at a time, never the whole archive.
 */
import { basename, dirname, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { ErrorBody, StringEnum } from '@streetwise/analytics';
import { routeSchema } from '../route-schema.js';

export interface BasemapOptions {
  /** A MapLibre style URL (MAP_STYLE). Wins over `pmtiles`. */
  style?: string;
  /** A local Protomaps .pmtiles file (MAP_PMTILES). */
  pmtiles?: string;
}

export const BASEMAP_TILES_URL = '/basemap/tiles.pmtiles';
/** OpenStreetMap's licence asks for this wherever its data is shown; Protomaps builds come from it. */
export const OSM_ATTRIBUTION = '© OpenStreetMap';
export const BASEMAP_KINDS = ['offline', 'style', 'pmtiles'] as const;
export type BasemapKind = (typeof BASEMAP_KINDS)[number];

const MapConfig = Type.Object(
  {
    basemap: StringEnum(BASEMAP_KINDS, { description: 'offline: the districts only; style: load styleUrl; pmtiles: draw pmtilesUrl with the built-in Protomaps style' }),
    styleUrl: Type.Union([Type.String(), Type.Null()], { description: 'the MapLibre style URL (basemap style)' }),
    pmtilesUrl: Type.Union([Type.String(), Type.Null()], { description: 'where the console serves the Protomaps file (basemap pmtiles)' }),
    attribution: Type.Union([Type.String(), Type.Null()], { description: 'what the basemap requires to be shown (pmtiles: © OpenStreetMap)' }),
  },
  { additionalProperties: false },
);

export interface MapConfigBody {
  basemap: BasemapKind;
  styleUrl: string | null;
  pmtilesUrl: string | null;
  attribution: string | null;
}

export function mapConfigOf(options: BasemapOptions): MapConfigBody {
  if (options.style) return { basemap: 'style', styleUrl: options.style, pmtilesUrl: null, attribution: null };
  if (options.pmtiles) return { basemap: 'pmtiles', styleUrl: null, pmtilesUrl: BASEMAP_TILES_URL, attribution: OSM_ATTRIBUTION };
  return { basemap: 'offline', styleUrl: null, pmtilesUrl: null, attribution: null };
}

/** Under /api/v1: which basemap the web app draws. Any signed-in user. */
export const mapConfigRoutes: FastifyPluginAsync<BasemapOptions> = async (app, options) => {
  const config = mapConfigOf(options);
  app.get(
    '/map/config',
    { schema: routeSchema({ tags: ['devices'], operationId: 'getMapConfig', summary: 'Which basemap the live map draws', response: { 200: MapConfig, 401: ErrorBody, 500: ErrorBody } }) },
    async () => config,
  );
};

/** At the root: the Protomaps file, when MAP_PMTILES names one (and no MAP_STYLE replaces it). */
export const basemapFiles: FastifyPluginAsync<BasemapOptions> = async (app, options) => {
  if (options.style || !options.pmtiles) return;
  const file = resolve(options.pmtiles);
  // serve:false: only the one route below reads the folder, so nothing else in it is reachable.
  await app.register(fastifyStatic, { root: dirname(file), serve: false, acceptRanges: true, maxAge: '1h' });
  app.get(BASEMAP_TILES_URL, { schema: routeSchema({ operationId: 'getBasemapTiles', hide: true }) }, async (_request, reply) =>
    reply.type('application/vnd.pmtiles').sendFile(basename(file)),
  );
};
