/**
 * The rules for keeping one copy of each incident, whichever way it arrives (the initial list, a live
 * message, a catch-up page, an action's answer): a copy replaces the known one only when its version is
 * higher, so a replayed or late message never rolls an incident back. Pure functions, unit-tested.
 */
import type { IncidentView } from '../api/types.js';

/** The (updatedAt, id) position of the newest change seen: catch-up resumes after it. */
export interface ChangeCursor {
  after: string;
  afterId: string;
}

/** True when `candidate` is newer than what is known (unknown incidents are always new). */
export function isNewer(known: IncidentView | undefined, candidate: IncidentView): boolean {
  return known === undefined || candidate.version > known.version;
}

/**
 * Merges incidents into a map; returns the new map (a new object only when something changed) and the
 * incidents that changed.
 */
export function mergeIncidents(current: ReadonlyMap<string, IncidentView>, incoming: readonly IncidentView[]): { map: ReadonlyMap<string, IncidentView>; changed: IncidentView[] } {
  const changed = incoming.filter((incident) => isNewer(current.get(incident.id), incident));
  if (changed.length === 0) return { map: current, changed };
  const map = new Map(current);
  for (const incident of changed) if (isNewer(map.get(incident.id), incident)) map.set(incident.id, incident);
  return { map, changed };
}

/** Compares two (updatedAt, id) positions as the server orders them. */
export function compareCursor(a: ChangeCursor, b: ChangeCursor): number {
  const byTime = Date.parse(a.after) - Date.parse(b.after);
  if (byTime !== 0) return byTime;
  return a.afterId < b.afterId ? -1 : a.afterId > b.afterId ? 1 : 0;
}

/** The later of the cursor and the incidents' own (updatedAt, id). */
export function advanceCursor(cursor: ChangeCursor | undefined, incidents: readonly IncidentView[]): ChangeCursor | undefined {
  let best = cursor;
  for (const incident of incidents) {
    const candidate = { after: incident.updatedAt, afterId: incident.id };
    if (best === undefined || compareCursor(candidate, best) > 0) best = candidate;
  }
  return best;
}
