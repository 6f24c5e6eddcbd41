/**
 * Turns a `devices:diff` into a maplibre GeoJSONSourceDiff: devices the source already has are updated in
 * place (new position, new properties), new ones added, gone ones removed. Pure, unit-tested.
 */
import type { GeoJSONSourceDiff } from 'maplibre-gl';
import type { DevicesDiff } from '../api/types.js';

export function toSourceDiff(diff: Pick<DevicesDiff, 'upsert' | 'remove'>, known: Set<string>): GeoJSONSourceDiff {
  const add: NonNullable<GeoJSONSourceDiff['add']> = [];
  const update: NonNullable<GeoJSONSourceDiff['update']> = [];
  for (const feature of diff.upsert) {
    const id = String(feature.id);
    if (known.has(id)) {
      update.push({
        id,
        newGeometry: feature.geometry,
        addOrUpdateProperties: Object.entries(feature.properties).map(([key, value]) => ({ key, value: value as unknown })),
      });
    } else {
      add.push({ ...feature, id });
      known.add(id);
    }
  }
  const remove = diff.remove.filter((id) => known.delete(id));
  return { ...(add.length ? { add } : {}), ...(update.length ? { update } : {}), ...(remove.length ? { remove } : {}) };
}
