/**
 * Loading what the live feed does not send: the open incidents and the device set when the app starts, and
 * on every (re)connect the incidents changed since the last (updatedAt, id) seen (GET /incidents/changes,
 * which starts a few seconds before the cursor so that rows committed out of order are not missed;
 * duplicates fall out by version).
 */
import { ApiError, api } from '../api/client.js';
import type { DeviceCollection, DeviceFeature, DeviceListItem, IncidentChanges, IncidentView } from '../api/types.js';
import { changeCursor, lastCaughtUpAt, replaceDevices, upsertIncidents } from './store.js';

/** Pages of catch-up read before giving up on one reconnect (a page is at most `limit` incidents). */
const MAX_CATCH_UP_PAGES = 50;
const CATCH_UP_PAGE_SIZE = 500;

export async function loadIncidents(): Promise<void> {
  const body = await api<IncidentView[] | { items: IncidentView[] }>('GET', '/incidents?active=true&limit=1000');
  upsertIncidents(Array.isArray(body) ? body : body.items);
}

export async function loadDevices(): Promise<void> {
  try {
    replaceDevices((await api<DeviceCollection>('GET', '/devices/geojson')).features);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 404) throw error;
    // A console without the GeoJSON route: build the features from the list.
    const body = await api<DeviceListItem[] | { items: DeviceListItem[] }>('GET', '/devices?limit=5000');
    replaceDevices((Array.isArray(body) ? body : body.items).flatMap(featureOf));
  }
}

function featureOf(device: DeviceListItem): DeviceFeature[] {
  if (device.lat === null || device.lon === null) return [];
  const state = device.state === 'online' || device.state === 'degraded' ? device.state : 'offline';
  return [
    {
      type: 'Feature',
      id: device.id,
      geometry: { type: 'Point', coordinates: [device.lon, device.lat] },
      properties: {
        id: device.id, name: device.name ?? device.id, kind: device.kind, state, stateReason: device.stateReason ?? null,
        district: device.district ?? null, keySite: device.keySite ?? false, severity: device.openIncidentMaxSeverity ?? null,
      },
    },
  ];
}

/**
 * Every incident changed since the cursor, page by page. Without a cursor (nothing seen yet) or on a console
 * that lacks the changes route, it reloads the open incidents instead.
 */
export async function catchUp(): Promise<void> {
  let position = changeCursor();
  if (position === undefined) {
    await loadIncidents();
  } else {
    try {
      for (let page = 0; page < MAX_CATCH_UP_PAGES && position; page++) {
        const query: URLSearchParams = new URLSearchParams({ after: position.after, afterId: position.afterId, limit: String(CATCH_UP_PAGE_SIZE) });
        const body: IncidentChanges = await api<IncidentChanges>('GET', `/incidents/changes?${query.toString()}`);
        upsertIncidents(body.items);
        position = body.next ?? undefined;
      }
    } catch (error) {
      if (!(error instanceof ApiError) || (error.status !== 404 && error.status !== 400)) throw error;
      await loadIncidents();
    }
  }
  lastCaughtUpAt.value = new Date();
}
