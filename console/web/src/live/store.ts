/**
 * The browser's live state, as signals: who is signed in, every incident it knows (one copy per id, the
 * highest version wins), every device on the map, the live-feed connection, and the incident the operator
 * selected. The socket (live/socket.ts) and the initial load feed it; the map and the desk read it.
 */
import { signal } from '@preact/signals';
import type { DeviceFeature, DevicesDiff, IncidentNotification, IncidentView, Session } from '../api/types.js';
import { api } from '../api/client.js';
import { createEmitter } from './emitter.js';
import { advanceCursor, mergeIncidents, type ChangeCursor } from './incident-merge.js';

export type ConnectionState = 'connecting' | 'online' | 'offline';

/** undefined: not yet known (asking GET /session); null: signed out. */
export const session = signal<Session | null | undefined>(undefined);
export const incidents = signal<ReadonlyMap<string, IncidentView>>(new Map());
export const devices = signal<ReadonlyMap<string, DeviceFeature>>(new Map());
export const connection = signal<ConnectionState>('offline');
export const selectedIncidentId = signal<string | null>(null);
/** When the last catch-up after a (re)connect finished, for the connection indicator. */
export const lastCaughtUpAt = signal<Date | null>(null);

/** Every incident message as it arrives (also `viewed`, `note`…), for open timelines: `incidentMessages.on(fn)`. */
export const incidentMessages = createEmitter<IncidentNotification>();
/** Device changes for the map, which applies them to its source with updateData; `previous`: the devices before. */
export const deviceDiffs = createEmitter<{ diff: DevicesDiff; previous: ReadonlyMap<string, DeviceFeature> }>();
/** A whole new device set (initial load, a catch-up that reloaded): the map replaces its source's data. */
export const deviceResets = createEmitter<readonly DeviceFeature[]>();

let cursor: ChangeCursor | undefined;

/** The position catch-up resumes from (exposed for tests and the connection panel). */
export const changeCursor = (): ChangeCursor | undefined => cursor;

/** Adds incidents from any source (list, page, action answer); returns those that were new or newer. */
export function upsertIncidents(items: readonly IncidentView[]): IncidentView[] {
  const { map, changed } = mergeIncidents(incidents.value, items);
  if (map !== incidents.value) incidents.value = map;
  cursor = advanceCursor(cursor, items);
  return changed;
}

/**
 * One socket.io `incident` message. The incident is replaced only when its version is higher; a message cut
 * for NOTIFY's size limit is completed with GET /incidents/:id. Subscribers see every message.
 */
export async function applyIncidentMessage(message: IncidentNotification): Promise<void> {
  if ('cut' in message) {
    const known = incidents.value.get(message.incident.id);
    if (!known || known.version < message.incident.version) {
      const full = await api<IncidentView>('GET', `/incidents/${encodeURIComponent(message.incident.id)}`);
      upsertIncidents([full]);
    }
  } else {
    upsertIncidents([message.incident]);
  }
  incidentMessages.emit(message);
}

/**
 * One `devices:diff` (v2): the device map follows and the map layer gets the diff itself. Returns false when
 * the message changed a device this browser does not have (it missed that device's whole feature, say
 * between its load and the feed): the caller reloads the devices.
 */
export function applyDevicesDiff(diff: DevicesDiff): boolean {
  if (diff.v !== 2) {
    console.warn(`devices:diff v${String(diff.v)} is not understood; reloading the devices`);
    return false;
  }
  const { ids } = diff.live;
  if (diff.upsert.length === 0 && ids.length === 0 && diff.remove.length === 0) return true;
  const previous = devices.value;
  const next = new Map(previous);
  let complete = true;
  for (const feature of diff.upsert) next.set(String(feature.id), feature);
  for (let i = 0; i < ids.length; i++) {
    const before = next.get(ids[i]!);
    if (!before) {
      complete = false;
      continue;
    }
    const { live, codes } = diff;
    next.set(ids[i]!, { ...before, properties: { ...before.properties, state: codes.state[live.state[i]!]!, stateReason: codes.stateReason[live.stateReason[i]!] ?? null, severity: codes.severity[live.severity[i]!] ?? null } });
  }
  for (const id of diff.remove) next.delete(id);
  devices.value = next;
  deviceDiffs.emit({ diff, previous });
  return complete;
}

export function replaceDevices(features: readonly DeviceFeature[]): void {
  devices.value = new Map(features.map((feature) => [String(feature.id), feature]));
  deviceResets.emit(features);
}

/** Forgets everything (sign-out). */
export function resetStore(): void {
  incidents.value = new Map();
  devices.value = new Map();
  selectedIncidentId.value = null;
  lastCaughtUpAt.value = null;
  cursor = undefined;
}
