/**
 * The `devices:diff` message (v2) and the pure step that builds it from the features a flush read. With
 * 5,000 devices changing each second, the browser's main thread spent most of its extra time parsing the
 * whole GeoJSON features of v1 (about 1.3 MB a second); what changes every second is only a device's
 * colour (state, state reason, worst open severity). v2 sends those as columns of small codes and sends a
 * whole feature only for a device the browser does not have yet, or whose position or description (name,
 * kind, district, key site) changed: about 20 bytes per changed device instead of about 260.
 */
import { SEVERITIES } from '@streetwise/protocol';
import type { DeviceFeature } from './device-features.js';
import { DEVICE_STATES, STATE_REASONS } from './device-live-sql.js';

/**
 * What each code of the `live` columns means: `codes.state[live.state[i]]`. Sent in every message (about
 * 150 bytes), so the browser needs no copy of the server's lists.
 */
export const LIVE_CODES = {
  state: DEVICE_STATES,
  stateReason: [null, ...STATE_REASONS],
  severity: [null, ...SEVERITIES],
} as const;

type LiveKey = keyof typeof LIVE_CODES;

/** Changes to the live properties of devices the browser has: ids[i] now has codes state[i], stateReason[i], severity[i]. */
export interface LiveColumns {
  ids: string[];
  state: number[];
  stateReason: number[];
  severity: number[];
}

export interface DevicesDiff {
  v: 2;
  at: string;
  /** Whole features: devices new to the map, or whose position or description changed. */
  upsert: DeviceFeature[];
  /** Devices that changed only in their live properties (state, stateReason, severity), as columns. */
  live: LiveColumns;
  codes: typeof LIVE_CODES;
  remove: string[];
}

const LIVE_KEYS = Object.keys(LIVE_CODES) as LiveKey[];

/** The position of each live property's value in LIVE_CODES; undefined when one is not in the lists (it is then sent whole). */
function liveCodesOf(feature: DeviceFeature): number[] | undefined {
  const codes = LIVE_KEYS.map((key) => (LIVE_CODES[key] as ReadonlyArray<string | null>).indexOf(feature.properties[key]));
  return codes.includes(-1) ? undefined : codes;
}

/** A feature's description: everything but the live properties, as a string to compare. */
function descriptionOf(feature: DeviceFeature): string {
  const { state: _state, stateReason: _reason, severity: _severity, ...rest } = feature.properties;
  return JSON.stringify([feature.geometry.coordinates, rest]);
}

/** What the browsers were last sent about one device. */
export interface SentDevice {
  description: string;
  /** The live codes, joined (undefined: a value outside LIVE_CODES, sent whole). */
  live: string | undefined;
}

export const sentDevice = (feature: DeviceFeature): SentDevice => ({ description: descriptionOf(feature), live: liveCodesOf(feature)?.join() });

export const emptyLive = (): LiveColumns => ({ ids: [], state: [], stateReason: [], severity: [] });

/**
 * Adds one freshly read feature to the diff being built, compared with what was last sent about its device
 * (undefined: never sent). Returns what is now sent, or undefined when nothing changed.
 */
export function addToDiff(diff: Pick<DevicesDiff, 'upsert' | 'live'>, feature: DeviceFeature, before: SentDevice | undefined): SentDevice | undefined {
  const now = sentDevice(feature);
  if (before && before.description === now.description && before.live === now.live) return undefined;
  const codes = liveCodesOf(feature);
  if (!before || before.description !== now.description || codes === undefined) {
    diff.upsert.push(feature);
  } else {
    diff.live.ids.push(feature.id);
    diff.live.state.push(codes[0]!);
    diff.live.stateReason.push(codes[1]!);
    diff.live.severity.push(codes[2]!);
  }
  return now;
}

/**
 * A diff built from scratch: the changes from `before` (what the browsers have, by id) to `features`. For
 * the bench and tests, which send what a console node would without a database.
 */
export function diffBetween(before: ReadonlyMap<string, DeviceFeature>, features: readonly DeviceFeature[], remove: string[] = [], at = new Date()): DevicesDiff {
  const diff: DevicesDiff = { v: 2, at: at.toISOString(), upsert: [], live: emptyLive(), codes: LIVE_CODES, remove };
  for (const feature of features) {
    const previous = before.get(feature.id);
    addToDiff(diff, feature, previous && sentDevice(previous));
  }
  return diff;
}
