/**
 * Which devices a notification asks the devices:diff feed to look at again. sw_devices (ingest's births
 * and last wills) and sw_health carry device ids; sw_incidents carries the incident, whose device's
 * colour is its worst open incident (a message cut to id and version is looked up).
 */
import { NOTIFY_CHANNELS, type Queryable } from '@streetwise/db';
import { parseIncidentNotification } from '@streetwise/incidents';

type MarkChannel = typeof NOTIFY_CHANNELS.devices | typeof NOTIFY_CHANNELS.health | typeof NOTIFY_CHANNELS.incidents;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The ids in {v:1, devices:[…]}: strings (sw_health) or objects with an id (sw_devices). */
function idsOfDevicesMessage(payload: string): string[] {
  let body: unknown;
  try {
    body = JSON.parse(payload);
  } catch {
    return [];
  }
  if (!isObject(body) || !Array.isArray(body['devices'])) return [];
  return body['devices'].flatMap((d: unknown) => (typeof d === 'string' ? [d] : isObject(d) && typeof d['id'] === 'string' ? [d['id']] : []));
}

export async function deviceIdsToLookAt(channel: MarkChannel, payload: string, db: Queryable): Promise<string[]> {
  if (channel !== NOTIFY_CHANNELS.incidents) return idsOfDevicesMessage(payload);
  const message = parseIncidentNotification(payload);
  if (message === undefined) return [];
  if ('cut' in message) {
    const { rows } = await db.query<{ device_id: string }>('select device_id from incidents where id = $1', [message.incident.id]);
    return rows.map((r) => r.device_id);
  }
  return [message.incident.deviceId];
}
