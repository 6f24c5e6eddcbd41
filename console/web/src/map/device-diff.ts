/**
 * Turns a `devices:diff` (v2) into a maplibre GeoJSONSourceDiff without building GeoJSON it does not need:
 * a device the source has is updated in place (its live properties from the message's columns; a whole
 * feature sent again replaces its position and properties), a new one is added, a gone one removed. With
 * 5,000 devices changing every second this runs on the main thread each second, so it only walks the
 * columns. Pure, unit-tested.
 */
import type { GeoJSONSourceDiff } from 'maplibre-gl';
import type { DevicesDiff, LiveKey } from '../api/types.js';

type Update = NonNullable<GeoJSONSourceDiff['update']>[number];

const LIVE_KEYS: readonly LiveKey[] = ['state', 'stateReason', 'severity'];

/** `known`: the ids the source holds (kept up to date here). */
export function toSourceDiff(diff: Pick<DevicesDiff, 'upsert' | 'live' | 'codes' | 'remove'>, known: Set<string>): GeoJSONSourceDiff {
  const add: NonNullable<GeoJSONSourceDiff['add']> = [];
  const update: Update[] = [];
  for (const feature of diff.upsert) {
    const id = String(feature.id);
    if (known.has(id)) {
      const addOrUpdateProperties = Object.entries(feature.properties).map(([key, value]) => ({ key, value: value as unknown }));
      update.push({ id, newGeometry: feature.geometry, addOrUpdateProperties });
    } else {
      add.push({ ...feature, id });
      known.add(id);
    }
  }
  const { ids } = diff.live;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (!known.has(id)) continue;
    update.push({ id, addOrUpdateProperties: LIVE_KEYS.map((key) => ({ key, value: diff.codes[key][diff.live[key][i]!] as unknown })) });
  }
  const remove = diff.remove.filter((id) => known.delete(id));
  return { ...(add.length ? { add } : {}), ...(update.length ? { update } : {}), ...(remove.length ? { remove } : {}) };
}
