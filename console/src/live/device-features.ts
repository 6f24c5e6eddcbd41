/**
 * Devices as GeoJSON features for the live map: GET /devices/geojson and the devices:diff socket.io
 * event carry the same features. A device without a location is not on the map.
 */
import type { Queryable } from '@streetwise/db';
import { DEVICE_LIVE_SQL, type DeviceLiveRow, type DeviceState, type StateReason } from './device-live-sql.js';

export interface DeviceFeatureProperties {
  id: string;
  name: string | null;
  kind: string;
  state: DeviceState;
  stateReason: StateReason | null;
  district: string | null;
  keySite: boolean;
  /** The worst severity among its incidents that are not resolved; null when it has none. */
  severity: string | null;
}

export interface DeviceFeature {
  type: 'Feature';
  /** The device id: maplibre's updateData finds the feature to replace by it. */
  id: string;
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: DeviceFeatureProperties;
}

/** A feature and when its device turns silent unless heard from (ms since the epoch; null: never). */
export interface LocatedFeature {
  feature: DeviceFeature;
  silentAtMs: number | null;
}

export function featureOf(row: DeviceLiveRow): DeviceFeature | undefined {
  if (row.lat === null || row.lon === null) return undefined;
  return {
    type: 'Feature',
    id: row.id,
    geometry: { type: 'Point', coordinates: [Number(row.lon), Number(row.lat)] },
    properties: {
      id: row.id, name: row.name, kind: row.kind, state: row.state, stateReason: row.state_reason,
      district: row.district, keySite: row.key_site === true, severity: row.open_severity,
    },
  };
}

/** The features of these devices (all of them when ids is undefined), by id. */
export async function selectDeviceFeatures(db: Queryable, ids?: readonly string[]): Promise<LocatedFeature[]> {
  const { rows } = await db.query<DeviceLiveRow>(
    `select * from (${DEVICE_LIVE_SQL}) dl where ($1::text[] is null or dl.id = any($1::text[])) and dl.lat is not null and dl.lon is not null order by dl.id`,
    [ids ? [...ids] : null],
  );
  return rows.flatMap((row) => {
    const feature = featureOf(row);
    return feature ? [{ feature, silentAtMs: row.silent_at === null ? null : new Date(row.silent_at).getTime() }] : [];
  });
}
