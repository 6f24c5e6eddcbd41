/**
 * JSON Schemas (TypeBox) shared by the analytics routes: the query parameters every measure takes, the
 * error body, the page block and the meta block that says which source answered.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { API_ERROR_REF, type ApiErrorBody } from '@streetwise/errors';
import { DEVICE_KINDS, OBJECT_CLASSES } from '@streetwise/protocol';
import { REGION_IDS } from '../districts.js';
import { BUCKETS } from '../query/bucket.js';
import { GROUP_BYS } from '../query/filters.js';
import { H3_DEFAULT_RESOLUTION, H3_MAX_RESOLUTION, H3_MIN_RESOLUTION } from '../query/h3-cells.js';
import { SOURCE_REQUESTS } from '../query/planner.js';

/** A string enum that reads well in OpenAPI (`enum: […]`) and coerces from a query string. */
export const StringEnum = <T extends string>(values: readonly T[], options: { description?: string; default?: NoInfer<T> } = {}) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], ...options });

const List = <T extends TSchema>(item: T, description: string, maxItems = 50) =>
  Type.Array(item, { maxItems, description: `${description}; repeat the parameter or separate values with commas` });

export const FORMATS = ['json', 'csv', 'geojson'] as const;
export type Format = (typeof FORMATS)[number];

export const RangeParams = {
  from: Type.Optional(Type.String({ maxLength: 40, description: 'start (inclusive): ISO 8601 date-time with zone, or a date (Hong Kong midnight). Default: 24 h before `to`' })),
  to: Type.Optional(Type.String({ maxLength: 40, description: 'end (exclusive): ISO 8601 date-time with zone, or a date. Default: now' })),
};

export const DeviceFilterParams = {
  district: Type.Optional(List(Type.String({ minLength: 1, maxLength: 64 }), 'district: code letter, English or Chinese name, or an alias ("Central and Western")', 18)),
  region: Type.Optional(StringEnum(REGION_IDS, { description: 'all districts of a region' })),
  device: Type.Optional(List(Type.String({ minLength: 1, maxLength: 64 }), 'device id', 200)),
  road: Type.Optional(List(Type.String({ minLength: 1, maxLength: 160 }), 'road name as the device reports it')),
  kind: Type.Optional(List(StringEnum(DEVICE_KINDS), 'device kind', DEVICE_KINDS.length)),
  h3: Type.Optional(List(Type.String({ minLength: 1, maxLength: 20 }), 'H3 cell id, resolution 7–9', 100)),
};

export const TimeOfDayParams = {
  hour: Type.Optional(List(Type.Integer({ minimum: 0, maximum: 23 }), 'Hong Kong local hours to keep (17,18,19 = 17:00–20:00)', 24)),
  day: Type.Optional(List(StringEnum(['1', '2', '3', '4', '5', '6', '7', 'weekday', 'weekend'] as const), 'ISO days of week to keep (1 = Monday), or weekday / weekend', 7)),
};

export const GroupingParams = {
  bucket: StringEnum(BUCKETS, { default: '1h', description: 'bucket length; 1d/1w are Hong Kong days/weeks (Monday); all = one bucket for the range' }),
  groupBy: StringEnum(GROUP_BYS, { default: 'none', description: 'group rows by device attribute, or by H3 cell' }),
  h3Resolution: Type.Integer({ minimum: H3_MIN_RESOLUTION, maximum: H3_MAX_RESOLUTION, default: H3_DEFAULT_RESOLUTION, description: 'cell resolution for groupBy=h3' }),
  source: StringEnum(SOURCE_REQUESTS, { default: 'auto', description: 'auto: the coarsest exact continuous aggregate; raw: raw rows (at most 7 days); 5m/1h/1d: that aggregate' }),
};

export const PageParams = {
  limit: Type.Integer({ minimum: 1, maximum: 10_000, default: 1000, description: 'rows per page' }),
  offset: Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0, description: 'rows to skip' }),
  format: StringEnum(FORMATS, { default: 'json', description: 'json, csv (text/csv) or geojson (application/geo+json)' }),
};

export const ClassParam = {
  class: Type.Optional(List(StringEnum(OBJECT_CLASSES), 'object classes to count', OBJECT_CLASSES.length)),
};

export const MeasureQuery = <E extends Record<string, TSchema>>(extra: E) =>
  Type.Object({ ...RangeParams, ...DeviceFilterParams, ...TimeOfDayParams, ...GroupingParams, ...PageParams, ...extra }, { additionalProperties: false });

/** The /api/v1 error body (@streetwise/errors ApiErrorBody), by reference to components.schemas.ApiError. */
export const ErrorBody = Type.Unsafe<ApiErrorBody>({ ...API_ERROR_REF });

export const PageBlock = Type.Object({
  limit: Type.Integer(),
  offset: Type.Integer(),
  total: Type.Integer({ description: 'rows in the whole answer' }),
  next: Type.Union([Type.String(), Type.Null()], { description: 'query string of the next page, null on the last' }),
});

export const MetaBlock = Type.Object({
  measure: Type.String(),
  from: Type.String({ description: 'range answered (aligned outwards to whole buckets)' }),
  to: Type.String(),
  bucket: Type.String(),
  groupBy: Type.String(),
  source: Type.String({ description: 'table that answered: telemetry_1d, telemetry_1h, telemetry_5m or telemetry (raw)' }),
  reason: Type.String({ description: 'why the planner chose that source' }),
  units: Type.Record(Type.String(), Type.String()),
});

export const Nullable = (schema: TSchema) => Type.Union([schema, Type.Null()]);

/** Response content per format, so fastify serialises JSON by schema and passes CSV/GeoJSON text through. */
export function formatResponses(json: TSchema): Record<number, unknown> {
  return {
    200: {
      description: 'the answer; format=csv gives text/csv, format=geojson a FeatureCollection',
      content: {
        'application/json': { schema: json },
        'text/csv': { schema: Type.String() },
        'application/geo+json': { schema: Type.Object({ type: Type.Literal('FeatureCollection'), features: Type.Array(Type.Unknown()) }) },
      },
    },
    400: ErrorBody,
    429: ErrorBody,
    500: ErrorBody,
  };
}
