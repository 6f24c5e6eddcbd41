/** The devices table as the filters need it: id, kind, district, road and position. */
import type { Queryable } from '@streetwise/db';
import type { DeviceKind } from '@streetwise/protocol';

export interface DeviceInfo {
  id: string;
  kind: DeviceKind;
  name: string | null;
  district: string | null;
  road: string | null;
  lat: number | null;
  lon: number | null;
}

export const DEVICES_SQL = 'SELECT id, kind, name, district, road, lat, lon FROM devices ORDER BY id';

export async function loadDevices(db: Queryable): Promise<DeviceInfo[]> {
  const { rows } = await db.query<DeviceInfo>(DEVICES_SQL);
  return rows;
}

/**
 * A short-lived cache of the device list (devices change rarely; the API reads it for H3 filters and
 * GeoJSON positions on many requests).
 */
export class DeviceDirectory {
  private cached: { at: number; devices: Promise<DeviceInfo[]> } | undefined;

  constructor(
    private readonly db: Queryable,
    private readonly maxAgeMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  list(): Promise<DeviceInfo[]> {
    const t = this.now();
    if (!this.cached || t - this.cached.at > this.maxAgeMs) {
      const devices = loadDevices(this.db);
      this.cached = { at: t, devices };
      devices.catch(() => {
        if (this.cached?.devices === devices) this.cached = undefined;
      });
    }
    return this.cached.devices;
  }

  async byId(): Promise<Map<string, DeviceInfo>> {
    return new Map((await this.list()).map((d) => [d.id, d]));
  }
}
