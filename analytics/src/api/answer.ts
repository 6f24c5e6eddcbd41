/**
 * Sending an answer in the requested format (json, csv, geojson), with the page block. JSON goes through
 * the route's response schema; CSV and GeoJSON are flat renderings of the same rows.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { districtNames, type DistrictNames } from '../districts.js';
import type { DeviceInfo } from '../query/device-directory.js';
import { groupGeometry, toCsv, toGeoJson, type FlatRow, type GeometryKind } from './export.js';
import type { Format } from './schemas.js';

export interface PageInfo {
  limit: number;
  offset: number;
  total: number;
  next: string | null;
}

/** The page block; `next` is the request's query string with the next offset, null on the last page. */
export function pageInfo(request: FastifyRequest, limit: number, offset: number, total: number): PageInfo {
  let next: string | null = null;
  if (offset + limit < total) {
    const params = new URLSearchParams(request.url.split('?')[1] ?? '');
    params.set('offset', String(offset + limit));
    next = params.toString();
  }
  return { limit, offset, total, next };
}

/** The English and Chinese names beside a row's `group` when it is a district code (rows grouped by district). */
export function districtLabels(group: string | null): DistrictNames {
  return districtNames(group);
}

export interface Answer {
  format: Format;
  json: unknown;
  rows: readonly FlatRow[];
  geometry: GeometryKind;
  devices?: ReadonlyMap<string, DeviceInfo> | undefined;
  /** The row field that names the group geometry is drawn for (default `group`). */
  groupKey?: string | undefined;
  /** File name (without extension) for CSV/GeoJSON downloads. */
  name: string;
}

export function sendAnswer(reply: FastifyReply, answer: Answer): unknown {
  switch (answer.format) {
    case 'csv':
      void reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${answer.name}.csv"`);
      return toCsv(answer.rows);
    case 'geojson':
      void reply.type('application/geo+json');
      return JSON.stringify(toGeoJson(answer.rows, groupGeometry(answer.geometry, answer.devices ?? new Map(), answer.groupKey)));
    case 'json':
      return answer.json;
  }
}

export function geometryKindOf(groupBy: string): GeometryKind {
  return groupBy === 'device' || groupBy === 'h3' || groupBy === 'district' ? groupBy : 'none';
}
