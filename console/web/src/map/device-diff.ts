/**
 * Turns a `devices:diff` into a maplibre GeoJSONSourceDiff: devices the source already has are updated in
 * place with only what changed (position, properties), new ones added, gone ones removed. Sending only the
 * changes keeps the copy to maplibre's worker small: with 5,000 devices changing every second, the diff is
 * what the main thread spends its time on. Pure, unit-tested.
 */
import type { GeoJSONSourceDiff } from 'maplibre-gl';
import type { DeviceFeature, DevicesDiff } from '../api/types.js';

type Update = NonNullable<GeoJSONSourceDiff['update']>[number];

function changesOf(feature: DeviceFeature, before: DeviceFeature | undefined): Update | undefined {
  const id = String(feature.id);
  if (!before) {
    return { id, newGeometry: feature.geometry, addOrUpdateProperties: Object.entries(feature.properties).map(([key, value]) => ({ key, value: value as unknown })) };
  }
  const [lon, lat] = feature.geometry.coordinates;
  const moved = lon !== before.geometry.coordinates[0] || lat !== before.geometry.coordinates[1];
  const changed: Array<{ key: string; value: unknown }> = [];
  for (const [key, value] of Object.entries(feature.properties)) {
    if (before.properties[key as keyof DeviceFeature['properties']] !== value) changed.push({ key, value: value as unknown });
  }
  if (!moved && changed.length === 0) return undefined;
  return { id, ...(moved ? { newGeometry: feature.geometry } : {}), ...(changed.length ? { addOrUpdateProperties: changed } : {}) };
}

/**
 * `known`: the ids the source holds (kept up to date here). `previous`: the devices as they were before this
 * diff, to send only what changed (a device missing from it is sent whole).
 */
export function toSourceDiff(diff: Pick<DevicesDiff, 'upsert' | 'remove'>, known: Set<string>, previous: ReadonlyMap<string, DeviceFeature> = new Map()): GeoJSONSourceDiff {
  const add: NonNullable<GeoJSONSourceDiff['add']> = [];
  const update: Update[] = [];
  for (const feature of diff.upsert) {
    const id = String(feature.id);
    if (known.has(id)) {
      const change = changesOf(feature, previous.get(id));
      if (change) update.push(change);
    } else {
      add.push({ ...feature, id });
      known.add(id);
    }
  }
  const remove = diff.remove.filter((id) => known.delete(id));
  return { ...(add.length ? { add } : {}), ...(update.length ? { update } : {}), ...(remove.length ? { remove } : {}) };
}
