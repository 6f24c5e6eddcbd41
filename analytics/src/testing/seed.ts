/**
 * Test and benchmark support: a migrated embedded database, and bulk inserts of devices, telemetry and
 * incidents with `insert … select unnest(…)` (one statement per batch).
 */
import { createEmbeddedDatabase, migrate, type Database, type Queryable } from '@streetwise/db';
import type { IncidentStatus } from '@streetwise/incidents';
import type { DeviceKind } from '@streetwise/protocol';
import { randomUUID } from 'node:crypto';

export async function startMigratedDatabase(): Promise<Database> {
  const db = await createEmbeddedDatabase({ dataDir: 'memory://' });
  try {
    await migrate(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}

export interface SeedDevice {
  id: string;
  kind: DeviceKind;
  district: string | null;
  road: string | null;
  lat: number | null;
  lon: number | null;
}

export async function insertDevices(db: Queryable, devices: readonly SeedDevice[]): Promise<void> {
  await db.query(
    `INSERT INTO devices (id, kind, district, road, lat, lon)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::float8[])`,
    [devices.map((d) => d.id), devices.map((d) => d.kind), devices.map((d) => d.district), devices.map((d) => d.road),
      devices.map((d) => d.lat), devices.map((d) => d.lon)],
  );
}

export interface SeedTelemetry {
  /** End of the interval (telemetry.time). */
  time: string | number;
  deviceId: string;
  intervalS?: number;
  person?: number | null;
  bicycle?: number | null;
  car?: number | null;
  motorcycle?: number | null;
  bus?: number | null;
  truck?: number | null;
  /** Vehicles without classes (a loop detector of the Transport Department's feed). */
  volume?: number | null;
  speedKmh?: number | null;
  occupancyPct?: number | null;
  zoneOccupancy?: number | null;
  queueLengthM?: number | null;
  pm25?: number | null;
  no2?: number | null;
  noiseDba?: number | null;
}

const TELEMETRY_COLUMNS: Array<[string, string, (r: SeedTelemetry) => unknown]> = [
  ['time', 'timestamptz', (r) => new Date(r.time).toISOString()],
  ['id', 'uuid', () => randomUUID()],
  ['device_id', 'text', (r) => r.deviceId],
  ['interval_s', 'int', (r) => r.intervalS ?? 300],
  ['count_person', 'int', (r) => r.person ?? null],
  ['count_bicycle', 'int', (r) => r.bicycle ?? null],
  ['count_car', 'int', (r) => r.car ?? null],
  ['count_motorcycle', 'int', (r) => r.motorcycle ?? null],
  ['count_bus', 'int', (r) => r.bus ?? null],
  ['count_truck', 'int', (r) => r.truck ?? null],
  ['volume', 'int', (r) => r.volume ?? null],
  ['speed_kmh_avg', 'real', (r) => r.speedKmh ?? null],
  ['occupancy_pct', 'real', (r) => r.occupancyPct ?? null],
  ['zone_occupancy', 'int', (r) => r.zoneOccupancy ?? null],
  ['queue_length_m', 'real', (r) => r.queueLengthM ?? null],
  ['pm25', 'real', (r) => r.pm25 ?? null],
  ['no2', 'real', (r) => r.no2 ?? null],
  ['noise_dba', 'real', (r) => r.noiseDba ?? null],
];

export const TELEMETRY_INSERT_SQL = `INSERT INTO telemetry (${TELEMETRY_COLUMNS.map(([c]) => c).join(', ')})
SELECT * FROM unnest(${TELEMETRY_COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')})`;

export function telemetryColumns(rows: readonly SeedTelemetry[]): unknown[][] {
  return TELEMETRY_COLUMNS.map(([, , get]) => rows.map(get));
}

export async function insertTelemetry(db: Queryable, rows: readonly SeedTelemetry[], batchSize = 5000): Promise<void> {
  for (let i = 0; i < rows.length; i += batchSize) {
    await db.query(TELEMETRY_INSERT_SQL, telemetryColumns(rows.slice(i, i + batchSize)));
  }
}

export interface SeedIncident {
  type: string;
  severity?: string;
  deviceId: string;
  district: string | null;
  lat: number;
  lon: number;
  openedAt: string;
  acknowledgedAt?: string | null;
  dispatchedAt?: string | null;
  resolvedAt?: string | null;
}

export async function insertIncidents(db: Queryable, incidents: readonly SeedIncident[]): Promise<void> {
  const status = (i: SeedIncident): IncidentStatus => (i.resolvedAt ? 'resolved' : i.dispatchedAt ? 'dispatched' : i.acknowledgedAt ? 'acknowledged' : 'open');
  await db.query(
    `INSERT INTO incidents (id, type, severity, status, device_id, district, lat, lon, first_event_id, last_event_id,
                            opened_at, last_event_at, acknowledged_at, dispatched_at, resolved_at)
     SELECT id, type, severity, status, device_id, district, lat, lon, id, id, opened_at, opened_at, ack, disp, res
     FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::float8[], $8::float8[],
                 $9::timestamptz[], $10::timestamptz[], $11::timestamptz[], $12::timestamptz[])
       AS x(id, type, severity, status, device_id, district, lat, lon, opened_at, ack, disp, res)`,
    [
      incidents.map(() => randomUUID()),
      incidents.map((i) => i.type),
      incidents.map((i) => i.severity ?? 'medium'),
      incidents.map(status),
      incidents.map((i) => i.deviceId),
      incidents.map((i) => i.district),
      incidents.map((i) => i.lat),
      incidents.map((i) => i.lon),
      incidents.map((i) => i.openedAt),
      incidents.map((i) => i.acknowledgedAt ?? null),
      incidents.map((i) => i.dispatchedAt ?? null),
      incidents.map((i) => i.resolvedAt ?? null),
    ],
  );
}

/** Materialise the continuous aggregates over all time (5-minute first: the hourly one reads it). */
export async function refreshAggregates(db: Queryable): Promise<void> {
  for (const view of ['telemetry_5m', 'telemetry_1h', 'telemetry_1d', 'events_5m', 'events_1h']) {
    await db.query(`CALL refresh_continuous_aggregate('${view}', NULL, NULL)`);
  }
}
