/**
 * A device's live state, computed in SQL when it is read (GET /devices, GET /devices/geojson and the
 * devices:diff builder use this one query), so a device that goes silent needs no writer:
 *
 *   offline   its retained status says so (the last will, or a clean shutdown);
 *   degraded  online but unwell, for the first of these reasons (state_reason):
 *               silent            not heard (any message) for more than twice its health interval
 *                                 (from its birth; for an older device, the gap between its last two
 *                                 health messages; a device that sends no health is never silent);
 *               inference_errors  its camera pipeline failed since the health message before;
 *               fps_low           its frame rate is below FPS_LOW_RATIO of the rate it is configured for;
 *               outbox_growing    its outbox grew over its last three health messages;
 *   online    otherwise.
 *
 * Also: `silent_at`, when it becomes silent unless heard from again (the diff builder looks again then),
 * and the worst severity among its incidents that are not resolved (the map colours by it).
 */
import { SEVERITIES } from '@streetwise/protocol';

export const DEVICE_STATES = ['online', 'degraded', 'offline'] as const;
export type DeviceState = (typeof DEVICE_STATES)[number];
export const STATE_REASONS = ['fps_low', 'outbox_growing', 'inference_errors', 'silent'] as const;
export type StateReason = (typeof STATE_REASONS)[number];

/** fps under this share of the configured rate is "low" (a camera's measured rate wobbles a little). */
export const FPS_LOW_RATIO = 0.8;
/** Silent after this many health intervals without a word. */
export const SILENT_AFTER_INTERVALS = 2;

const severityList = `array[${SEVERITIES.map((s) => `'${s}'`).join(', ')}]`;

/**
 * Every device with its live columns (alias the result; filter outside it: the planner pushes an id or
 * district filter down into the devices scan, and the per-device look-ups run only for rows kept).
 */
export const DEVICE_LIVE_SQL = `
select d.id, d.kind, d.name, d.district, d.road, d.lat, d.lon, d.key_site, d.last_seen_at,
  h.last_health_at, v.silent_at,
  case when d.state = 'offline' then 'offline' when r.reason is not null then 'degraded' else 'online' end as state,
  case when d.state = 'offline' then null else r.reason end as state_reason,
  s.severity as open_severity
from devices d
left join lateral (
  select max(x.received_at) as last_health_at,
    (array_agg(x.fps order by x.time desc))[1] as fps,
    (array_agg(x.fps_target order by x.time desc))[1] as fps_target,
    array_agg(x.outbox_depth order by x.time desc) as depths,
    array_agg(x.inference_errors order by x.time desc) as errors,
    extract(epoch from max(x.time) - (array_agg(x.time order by x.time desc))[2]) as gap_s
  from (select time, received_at, fps, fps_target, outbox_depth, inference_errors from health
        where device_id = d.id order by time desc limit 3) x
) h on true
cross join lateral (
  select greatest(d.last_seen_at, h.last_health_at)
    + make_interval(secs => ${SILENT_AFTER_INTERVALS} * case when d.health_interval_s is not null then nullif(d.health_interval_s, 0) else h.gap_s end) as silent_at
) v
cross join lateral (
  select case
    when v.silent_at < now() then 'silent'
    when h.errors[1] > h.errors[2] then 'inference_errors'
    when h.fps_target > 0 and h.fps < ${FPS_LOW_RATIO} * h.fps_target then 'fps_low'
    when h.depths[1] > h.depths[2] and h.depths[2] > h.depths[3] then 'outbox_growing'
  end as reason
) r
left join lateral (
  select (${severityList})[max(array_position(${severityList}, i.severity))] as severity
  from incidents i where i.device_id = d.id and i.status <> 'resolved'
) s on true`;

/** The live columns as the API shows them. */
export interface DeviceLiveRow {
  id: string;
  kind: string;
  name: string | null;
  district: string | null;
  road: string | null;
  lat: number | null;
  lon: number | null;
  key_site: boolean;
  last_seen_at: Date | string;
  last_health_at: Date | string | null;
  silent_at: Date | string | null;
  state: DeviceState;
  state_reason: StateReason | null;
  open_severity: string | null;
}
