/**
 * Turns a `devices:diff` (v2) into a maplibre GeoJSONSourceDiff without building GeoJSON it does not need:
 * a device the source has is updated in place (its live properties from the message's columns; a whole
 * feature sent again replaces its position and properties), a new one is added, a gone one removed. With
 * 5,000 devices changing every second this and maplibre's own work on the result (a copy of each updated
 * feature on the main thread, a structured clone to its worker) run on the main thread each second, so it
 * walks the columns and passes on only the properties that changed. Pure, unit-tested.
 */
import type { GeoJSONSourceDiff } from 'maplibre-gl';
import type { DeviceFeature, DevicesDiff, LiveKey } from '../api/types.js';

type Update = NonNullable<GeoJSONSourceDiff['update']>[number];

const LIVE_KEYS: readonly LiveKey[] = ['state', 'stateReason', 'severity'];

/**
 * `known`: the ids the source holds (kept up to date here). `previous`: the devices as they were before this
 * diff: a live property that did not change is left out (each key is an object maplibre copies on the main
 * thread and clones to its worker), and a device none of whose changed is left out altogether.
 */
export function toSourceDiff(diff: Pick<DevicesDiff, 'upsert' | 'live' | 'codes' | 'remove'>, known: Set<string>, previous: ReadonlyMap<string, DeviceFeature> = new Map()): GeoJSONSourceDiff {
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
    const before = previous.get(id)?.properties;
    const changed: Array<{ key: string; value: unknown }> = [];
    for (const key of LIVE_KEYS) {
      const value = diff.codes[key][diff.live[key][i]!] ?? null;
      if (before?.[key] !== value) changed.push({ key, value });
    }
    if (changed.length > 0) update.push({ id, addOrUpdateProperties: changed });
  }
  const remove = diff.remove.filter((id) => known.delete(id));
  return { ...(add.length ? { add } : {}), ...(update.length ? { update } : {}), ...(remove.length ? { remove } : {}) };
}
