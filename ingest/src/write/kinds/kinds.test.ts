import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedDatabase, migrate, type Database } from '@streetwise/db';
import { validateMessage, type MessageByKind } from '@streetwise/protocol';
import type { RejectedItem } from '../../types.js';
import { buildBatchStatement } from '../batch-statement.js';
import { deadLetterWrite } from './dead-letter.js';
import type { ColumnSpec, PgType, RowKindName, TableWrite, Timed } from './kind.js';
import { ROW_KIND_NAMES, ROW_KINDS } from './registry.js';
import { birthWrite, type Birth } from './status.js';

/**
 * Every stored kind's [column, pgType, value] triples against the migrated database: each column
 * exists in the kind's table with the type its cast (and conversion) stores, every NOT NULL column
 * without a default is written, each value of a valid protocol message fits its pgType, and a full
 * message of each kind reads back as the row worked out by hand below.
 */
const RECEIVED_MS = Date.parse('2025-03-01T08:00:01.250Z');
const TS = '2025-03-01T08:00:00.125Z';
const ID = {
  event: '0195516f-5a7d-7000-8000-000000000001',
  telemetry: '0195516f-5a7d-7000-8000-000000000002',
  health: '0195516f-5a7d-7000-8000-000000000003',
};
const DEVICE = 'cam-kinds-1';

/** Every optional field set, every value distinct, so a value in the wrong column shows. */
const FULL: { [K in RowKindName]: MessageByKind[K] } = {
  event: {
    v: 1, id: ID.event, deviceId: DEVICE, ts: TS, type: 'wrong_way', severity: 'high', class: 'car', trackId: 41,
    confidence: 0.75, location: { lat: 22.25, lon: 114.125 }, rule: 'north-line', direction: 'northbound', speedKmh: 37.5,
    count: 3, durationS: 12.5, modelVersion: 'yolo-2.1', attrs: { lane: 2, wet: true }, snapshot: 'AAAA',
  },
  telemetry: {
    v: 1, id: ID.telemetry, deviceId: DEVICE, ts: TS, intervalS: 60, approach: 'east',
    counts: { person: 1, bicycle: 2, car: 3, motorcycle: 4, bus: 5, truck: 6 },
    speedKmhAvg: 41.5, speedKmhP85: 52.25, occupancyPct: 18.5, queueLengthM: 75.5, zoneOccupancy: 7,
    pm25: 11.5, no2: 23.5, noiseDba: 64.5, congestionIndex: 0.625, volume: 21, lanesValid: 3, lanesInvalid: 1,
    observedAt: '2024-04-06T13:27:30Z', forecast: [{ minutes: 15, flow: 9 }],
  },
  health: {
    v: 1, id: ID.health, deviceId: DEVICE, ts: TS, uptimeS: 3600.5, fps: 14.5, inferenceMsP50: 21.5, inferenceMsP95: 33.5,
    cpuPct: 87.5, rssMb: 412.5, outboxDepth: 8, outboxDropped: 9, models: { yolo: '2.1' }, configVersion: 10,
    feedAgeS: 42.5, devicesStale: 11, devicesOffline: 12, fpsTarget: 15.5, inferenceErrors: 13,
  },
};

/** Only what the protocol requires: every optional column is NULL. */
const MINIMAL: { [K in RowKindName]: MessageByKind[K] } = {
  event: { v: 1, id: '0195516f-5a7d-7000-8000-000000000011', deviceId: DEVICE, ts: TS, type: 'detection', severity: 'info', location: { lat: 22.5, lon: 114.5 } },
  telemetry: { v: 1, id: '0195516f-5a7d-7000-8000-000000000012', deviceId: DEVICE, ts: TS, intervalS: 30 },
  health: { v: 1, id: '0195516f-5a7d-7000-8000-000000000013', deviceId: DEVICE, ts: TS, uptimeS: 1, outboxDepth: 0 },
};

const RECEIVED_AT = '2025-03-01T08:00:01.250Z';
const TIME = '2025-03-01T08:00:00.125Z';

/** The row each FULL message must become, by hand (timestamps as ISO text, bytes as base64). */
const FULL_ROWS: { [K in RowKindName]: Record<string, unknown> } = {
  event: {
    time: TIME, id: ID.event, device_id: DEVICE, type: 'wrong_way', severity: 'high', class: 'car', track_id: 41, confidence: 0.75,
    lat: 22.25, lon: 114.125, rule: 'north-line', direction: 'northbound', speed_kmh: 37.5, count: 3, duration_s: 12.5,
    model_version: 'yolo-2.1', attrs: { lane: 2, wet: true }, has_snapshot: true, received_at: RECEIVED_AT,
  },
  telemetry: {
    time: TIME, id: ID.telemetry, device_id: DEVICE, interval_s: 60, approach: 'east', count_person: 1, count_bicycle: 2, count_car: 3,
    count_motorcycle: 4, count_bus: 5, count_truck: 6, speed_kmh_avg: 41.5, speed_kmh_p85: 52.25, occupancy_pct: 18.5,
    queue_length_m: 75.5, zone_occupancy: 7, pm25: 11.5, no2: 23.5, noise_dba: 64.5, congestion_index: 0.625, volume: 21, lanes_valid: 3,
    lanes_invalid: 1, observed_at: '2024-04-06T13:27:30.000Z', received_at: RECEIVED_AT,
  },
  health: {
    time: TIME, id: ID.health, device_id: DEVICE, uptime_s: 3600.5, fps: 14.5, inference_ms_p50: 21.5, inference_ms_p95: 33.5, cpu_pct: 87.5,
    rss_mb: 412.5, outbox_depth: 8, outbox_dropped: 9, models: { yolo: '2.1' }, config_version: 10, feed_age_s: 42.5, devices_stale: 11,
    devices_offline: 12, fps_target: 15.5, inference_errors: 13, received_at: RECEIVED_AT,
  },
};

const BIRTH: Birth = {
  message: {
    v: 1, id: '0195516f-5a7d-7000-8000-000000000021', deviceId: DEVICE, ts: TS, state: 'online', kind: 'camera', name: 'Nathan Rd north',
    // Intake has already turned the district into its code (intake/district-intake.ts) when a birth reaches the write.
    location: { lat: 22.3125, lon: 114.1875 }, district: 'E', road: 'Nathan Road', capabilities: ['detect', 'count'],
    models: { yolo: '2.1' }, firmware: 'agent-1.4.0', configVersion: 12, healthIntervalS: 30,
  },
  state: 'online',
};
const BIRTH_ROW = {
  id: DEVICE, kind: 'camera', name: 'Nathan Rd north', district: 'E', road: 'Nathan Road', lat: 22.3125, lon: 114.1875,
  capabilities: ['detect', 'count'], models: { yolo: '2.1' }, firmware: 'agent-1.4.0', config_version: 12, health_interval_s: 30, state: 'online', blocked: false,
};
const MINIMAL_BIRTH: Birth = {
  message: { v: 1, id: '0195516f-5a7d-7000-8000-000000000022', deviceId: 'cam-kinds-2', ts: TS, state: 'online', kind: 'noise', location: { lat: 22.5, lon: 114.5 } },
  state: 'offline',
};

const DEAD: RejectedItem = {
  topic: 'streetwise/v1/cam-kinds-1/event', payload: Buffer.from([0x7b, 0x00, 0xff]), clientId: 'fleet-\u00007', receivedAtMs: RECEIVED_MS,
  accepted: false, reasonCode: 'bad_json', reason: 'payload is not JSON', deviceId: DEVICE,
};
const DEAD_ROW = {
  received_at: RECEIVED_AT, topic: 'streetwise/v1/cam-kinds-1/event', payload: 'ewD/', reason_code: 'bad_json', reason: 'payload is not JSON',
  client_id: 'fleet-\uFFFD7', device_id: DEVICE,
};
const MINIMAL_DEAD: RejectedItem = { ...DEAD, payload: Buffer.alloc(0), clientId: null, deviceId: null, topic: 'x' };

/** Every table write with one full and one minimal row of it. */
const WRITES: Array<{ name: string; write: TableWrite<never>; rows: unknown[] }> = [
  ...ROW_KIND_NAMES.map((kind) => ({
    name: kind,
    write: ROW_KINDS[kind],
    rows: [FULL[kind], MINIMAL[kind]].map((message): Timed<unknown> => ({ message, receivedAtMs: RECEIVED_MS })),
  })),
  { name: 'status (births)', write: birthWrite, rows: [BIRTH, MINIMAL_BIRTH] },
  { name: 'dead letters', write: deadLetterWrite, rows: [DEAD, MINIMAL_DEAD] },
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const INT4_MAX = 2_147_483_647;

/** Does this JS value fit the column's pgType? */
function fits(value: unknown, pgType: PgType): boolean {
  switch (pgType) {
    case 'text':
      return typeof value === 'string';
    case 'uuid':
      return typeof value === 'string' && UUID.test(value);
    case 'timestamptz':
      return typeof value === 'string' && Number.isFinite(Date.parse(value));
    case 'int':
      return Number.isInteger(value) && Math.abs(value as number) <= INT4_MAX;
    case 'real':
    case 'float8':
      return typeof value === 'number' && Number.isFinite(value);
    case 'bool':
      return typeof value === 'boolean';
    case 'jsonb':
      if (typeof value !== 'string') return false;
      try {
        JSON.parse(value);
        return true;
      } catch {
        return false;
      }
  }
}

interface TableColumn {
  column_name: string;
  type: string;
  nullable: boolean;
  has_default: boolean;
}

/** Read back as plain JSON values: timestamps as ISO text, bytes as base64. */
function plain(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v]),
  );
}

describe('message kinds', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createEmbeddedDatabase({ dataDir: 'memory://' });
    await migrate(db);
  }, 120_000); // the embedded database and its migrations take seconds on a busy machine
  afterAll(async () => {
    await db?.close();
  });

  it('examples are valid protocol messages (so the values below are ones ingest really sees)', () => {
    for (const kind of ROW_KIND_NAMES) {
      expect(validateMessage(kind, FULL[kind]), `${kind} full`).toBe(true);
      expect(validateMessage(kind, MINIMAL[kind]), `${kind} minimal`).toBe(true);
    }
    expect(validateMessage('status', BIRTH.message)).toBe(true);
    expect(validateMessage('status', MINIMAL_BIRTH.message)).toBe(true);
  });

  it.each(WRITES)('$name: every column exists in its table with the type its cast stores, and nothing required is left out', async ({ write }) => {
    const table = (
      await db.query<TableColumn>(
        `select a.attname as column_name, format_type(a.atttypid, a.atttypmod) as type, not a.attnotnull as nullable,
                (a.atthasdef or a.attidentity <> '') as has_default
         from pg_attribute a where a.attrelid = $1::regclass and a.attnum > 0 and not a.attisdropped`,
        [write.table],
      )
    ).rows;
    const byName = new Map(table.map((c) => [c.column_name, c]));
    const names = write.columns.map(([column]) => column);
    expect(new Set(names).size, 'a column listed twice').toBe(names.length);
    for (const [column, pgType, , stored] of write.columns) {
      expect(byName.has(column), `${write.table}.${column} is not a column`).toBe(true);
      const expression = stored ? stored(`null::${pgType}`) : `null::${pgType}`;
      const storedType = (await db.query<{ t: string }>(`select pg_typeof(${expression})::text as t`)).rows[0]!.t;
      expect(`${column} ${storedType}`).toBe(`${column} ${byName.get(column)!.type}`);
    }
    const required = table.filter((c) => !c.nullable && !c.has_default).map((c) => c.column_name);
    expect(required.filter((c) => !names.includes(c)), `${write.table}: required columns not written`).toEqual([]);
  });

  it.each(WRITES)('$name: each value of a full and a minimal message fits its pgType, and is NULL only where the table allows', async ({ write, rows }) => {
    const nullable = new Map(
      (await db.query<{ attname: string; ok: boolean }>(`select attname, not attnotnull as ok from pg_attribute where attrelid = $1::regclass and attnum > 0`, [write.table])).rows.map((r) => [r.attname, r.ok]),
    );
    for (const row of rows) {
      for (const [column, pgType, value, stored] of write.columns as ReadonlyArray<ColumnSpec<unknown>>) {
        const v = value(row);
        if (v === null || v === undefined) {
          const filled = stored !== undefined && (await db.query<{ ok: boolean }>(`select ${stored(`null::${pgType}`)} is not null as ok`)).rows[0]!.ok;
          expect(nullable.get(column) === true || filled, `${write.table}.${column} is NOT NULL but the value is null`).toBe(true);
        } else expect(fits(v, pgType), `${write.table}.${column}: ${JSON.stringify(v)} is not a ${pgType}`).toBe(true);
      }
    }
  });

  it('writes a full message of every kind as the row worked out by hand, and a minimal one', async () => {
    const rows = Object.fromEntries(ROW_KIND_NAMES.map((kind) => [kind, [FULL[kind], MINIMAL[kind]].map((message) => ({ message, receivedAtMs: RECEIVED_MS }))]));
    const statement = buildBatchStatement({ births: [BIRTH, MINIMAL_BIRTH], rows, deadLetters: [DEAD, MINIMAL_DEAD], notify: false });
    const result = await db.query<{ k: string; id: string | null }>(statement.sql, statement.params);
    expect(result.rows.filter((r) => r.k !== 'b').map((r) => `${r.k}:${r.id}`)).toEqual([...ROW_KIND_NAMES.map((kind) => `${kind}:*`), 'n:0']);

    for (const kind of ROW_KIND_NAMES) {
      const found = await db.query<Record<string, unknown>>(`select * from ${ROW_KINDS[kind].table} where id = $1`, [FULL[kind].id]);
      expect(found.rows.map(plain), kind).toEqual([FULL_ROWS[kind]]);
      expect((await db.query(`select 1 from ${ROW_KINDS[kind].table} where id = $1`, [MINIMAL[kind].id])).rows).toHaveLength(1);
    }
    const device = await db.query<Record<string, unknown>>(
      `select id, kind, name, district, road, lat, lon, capabilities, models, firmware, config_version, health_interval_s, state, blocked from devices order by id`,
    );
    expect(device.rows.map(plain)).toEqual([
      BIRTH_ROW,
      { id: 'cam-kinds-2', kind: 'noise', name: null, district: null, road: null, lat: 22.5, lon: 114.5, capabilities: [], models: {}, firmware: null, config_version: null, health_interval_s: null, state: 'offline', blocked: false },
    ]);
    const dead = await db.query<Record<string, unknown>>(`select received_at, topic, payload, reason_code, reason, client_id, device_id from dead_letters order by id`);
    expect(dead.rows.map(plain)).toEqual([DEAD_ROW, { ...DEAD_ROW, topic: 'x', payload: '', client_id: null, device_id: null }]);
  });
});
