/** The device that raised an incident, with its latest health report, for the desk's detail view. */
import type { Queryable } from '@streetwise/db';

export interface DeviceHealthRow {
  time: string;
  uptimeS: number;
  fps: number | null;
  inferenceMsP50: number | null;
  inferenceMsP95: number | null;
  cpuPct: number | null;
  rssMb: number | null;
  outboxDepth: number;
  outboxDropped: number | null;
  configVersion: number | null;
}

export interface IncidentDeviceRow {
  id: string;
  name: string | null;
  kind: string;
  state: string;
  district: string | null;
  lastSeenAt: string;
  health: DeviceHealthRow | null;
}

const iso = (column: string): string => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** Null when the device is no longer registered. The latest health row is read by health_device_time_idx. */
export async function incidentDevice(q: Queryable, deviceId: string): Promise<IncidentDeviceRow | null> {
  const { rows } = await q.query<{ device: IncidentDeviceRow }>(
    `select json_build_object('id', d.id, 'name', d.name, 'kind', d.kind, 'state', d.state, 'district', d.district,
       'lastSeenAt', ${iso('d.last_seen_at')},
       'health', (select json_build_object('time', ${iso('h.time')}, 'uptimeS', h.uptime_s, 'fps', h.fps, 'inferenceMsP50', h.inference_ms_p50,
                    'inferenceMsP95', h.inference_ms_p95, 'cpuPct', h.cpu_pct, 'rssMb', h.rss_mb, 'outboxDepth', h.outbox_depth,
                    'outboxDropped', h.outbox_dropped, 'configVersion', h.config_version)
                  from health h where h.device_id = d.id order by h.time desc limit 1)) as device
     from devices d where d.id = $1`,
    [deviceId],
  );
  return rows[0]?.device ?? null;
}
