/**
 * The fleet view's SQL: the health table (devices + each one's latest health row + its latest push, one
 * query), and the push audit with each device's outcome.
 */
import type { Queryable } from '@streetwise/db';

export const FLEET_SORTS = ['id', 'name', 'district', 'state', 'lastSeenAt', 'configVersion', 'outboxDepth', 'fps', 'inferenceMs'] as const;
export type FleetSort = (typeof FLEET_SORTS)[number];

/** Sort keys as SQL over the aliases of FLEET_SQL; fixed strings only, never request text. */
const SORT_SQL: Record<FleetSort, string> = {
  id: 'd.id',
  name: 'd.name',
  district: 'd.district',
  state: 'd.state',
  lastSeenAt: 'd.last_seen_at',
  configVersion: 'd.config_version',
  outboxDepth: 'h.outbox_depth',
  fps: 'h.fps',
  inferenceMs: 'h.inference_ms_p95',
};

export interface FleetFilter {
  districts: string[] | null;
  kinds: string[] | null;
  state: string | null;
  sort: FleetSort;
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
}

export interface FleetRow {
  id: string;
  kind: string;
  name: string | null;
  district: string | null;
  state: string;
  last_seen_at: Date | string;
  firmware: string | null;
  config_version: number | null;
  models: Record<string, string> | null;
  health_at: Date | string | null;
  fps: number | null;
  inference_ms_p50: number | null;
  inference_ms_p95: number | null;
  outbox_depth: number | null;
  outbox_dropped: number | null;
  cpu_pct: number | null;
  health_config_version: number | null;
  push_id: string | null;
  push_version: number | null;
  pushed_at: Date | string | null;
  push_confirmed_at: Date | string | null;
  total: string | number;
}

/** One page of the fleet: the latest health row and latest push of each device by index look-ups (health_device_time_idx, fleet_push_devices_device_idx). */
export async function queryFleet(db: Queryable, f: FleetFilter): Promise<FleetRow[]> {
  const direction = f.order === 'desc' ? 'DESC' : 'ASC';
  const result = await db.query<FleetRow>(
    `SELECT d.id, d.kind, d.name, d.district, d.state, d.last_seen_at, d.firmware, d.config_version,
       coalesce(h.models, d.models) AS models,
       h.time AS health_at, h.fps, h.inference_ms_p50, h.inference_ms_p95, h.outbox_depth, h.outbox_dropped, h.cpu_pct,
       h.config_version AS health_config_version,
       p.push_id, p.config_version AS push_version, p.pushed_at, p.confirmed_at AS push_confirmed_at,
       count(*) OVER () AS total
     FROM devices d
     LEFT JOIN LATERAL (
       SELECT time, fps, inference_ms_p50, inference_ms_p95, outbox_depth, outbox_dropped, cpu_pct, config_version, models
       FROM health WHERE device_id = d.id ORDER BY time DESC LIMIT 1
     ) h ON true
     LEFT JOIN LATERAL (
       SELECT x.push_id, x.config_version, x.confirmed_at, fp.pushed_at
       FROM fleet_push_devices x JOIN fleet_pushes fp ON fp.id = x.push_id
       WHERE x.device_id = d.id ORDER BY x.config_version DESC LIMIT 1
     ) p ON true
     WHERE ($1::text[] IS NULL OR d.district = ANY($1::text[]))
       AND ($2::text[] IS NULL OR d.kind = ANY($2::text[]))
       AND ($3::text IS NULL OR d.state = $3)
     ORDER BY ${SORT_SQL[f.sort]} ${direction} NULLS LAST, d.id ${direction}
     LIMIT $4 OFFSET $5`,
    [f.districts, f.kinds, f.state, f.limit, f.offset],
  );
  return result.rows;
}

export interface PushRow {
  id: string;
  pushed_at: Date | string;
  pushed_by: string;
  target: { devices?: string[]; district?: string };
  patch: Record<string, unknown>;
  devices: PushDeviceRow[];
  total: string | number;
}

export interface PushDeviceRow {
  id: string;
  version: number;
  publishedAt: string | null;
  publishError: string | null;
  confirmedAt: string | null;
  reportedVersion: number | null;
  rejectedAt: string | null;
  rejectReason: string | null;
}

/**
 * Pushes, newest first, each with its devices. A device's `config_rejected` event (the edge agent's answer
 * to a patch it cannot apply, attrs.configVersion = the version it was sent) is looked up while the push
 * is unconfirmed; events are a hypertable indexed by (device_id, time).
 */
export async function queryPushes(db: Queryable, options: { pushId?: string; deviceId?: string; limit: number; offset: number }): Promise<PushRow[]> {
  const result = await db.query<PushRow>(
    `WITH page AS (
       SELECT fp.*, count(*) OVER () AS total FROM fleet_pushes fp
       WHERE ($1::uuid IS NULL OR fp.id = $1::uuid)
         AND ($2::text IS NULL OR EXISTS (SELECT 1 FROM fleet_push_devices x WHERE x.push_id = fp.id AND x.device_id = $2))
       ORDER BY fp.pushed_at DESC, fp.id DESC LIMIT $3 OFFSET $4
     )
     SELECT page.id, page.pushed_at, page.pushed_by, page.target, page.patch, page.total,
       coalesce(json_agg(json_build_object(
         'id', x.device_id, 'version', x.config_version,
         'publishedAt', x.published_at, 'publishError', x.publish_error, 'confirmedAt', x.confirmed_at,
         'reportedVersion', d.config_version, 'rejectedAt', rj.time, 'rejectReason', rj.reason
       ) ORDER BY x.device_id) FILTER (WHERE x.device_id IS NOT NULL), '[]') AS devices
     FROM page
     LEFT JOIN fleet_push_devices x ON x.push_id = page.id
     LEFT JOIN devices d ON d.id = x.device_id
     LEFT JOIN LATERAL (
       SELECT e.time, e.attrs->>'reason' AS reason FROM events e
       WHERE x.confirmed_at IS NULL AND e.device_id = x.device_id AND e.type = 'config_rejected'
         AND e.attrs->>'configVersion' = x.config_version::text AND e.time >= page.pushed_at - interval '5 minutes'
       ORDER BY e.time LIMIT 1
     ) rj ON true
     GROUP BY page.id, page.pushed_at, page.pushed_by, page.target, page.patch, page.total
     ORDER BY page.pushed_at DESC, page.id DESC`,
    [options.pushId ?? null, options.deviceId ?? null, options.limit, options.offset],
  );
  return result.rows;
}

export const PUSH_STATUSES = ['pending', 'confirmed', 'superseded', 'rejected', 'failed'] as const;
export type PushStatus = (typeof PUSH_STATUSES)[number];

/**
 * What became of one device of a push: confirmed (it reported this version), rejected (it answered
 * config_rejected), failed (the broker did not take the publish), superseded (it runs a later version
 * without having reported this one), else pending.
 */
export function pushStatus(d: PushDeviceRow): PushStatus {
  if (d.confirmedAt !== null) return 'confirmed';
  if (d.rejectedAt !== null) return 'rejected';
  if (d.publishError !== null) return 'failed';
  if (d.reportedVersion !== null && d.reportedVersion > d.version) return 'superseded';
  return 'pending';
}
