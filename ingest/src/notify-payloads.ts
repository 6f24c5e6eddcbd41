import { NOTIFY_PAYLOAD_MAX_BYTES } from '@streetwise/db';
import type { DeviceChange, IncidentChange, StoredEvent } from './types.js';

/**
 * PostgreSQL NOTIFY payloads: compact JSON, split so each stays under the 8,000-byte limit.
 * sw_events:    {"v":1,"events":[{id, deviceId, type, severity, ts, lat, lon}, …]}
 * sw_incidents: one IncidentChange per notification (the console's incident shape plus "action")
 * sw_devices:   {"v":1,"devices":[{id, state, registered}, …]}
 */

export function chunkPayloads(key: string, items: readonly unknown[], maxBytes = NOTIFY_PAYLOAD_MAX_BYTES): string[] {
  const head = `{"v":1,"${key}":[`;
  const tail = ']}';
  const payloads: string[] = [];
  let parts: string[] = [];
  let size = head.length + tail.length;
  for (const item of items) {
    const text = JSON.stringify(item);
    const bytes = Buffer.byteLength(text) + 1;
    if (bytes + head.length + tail.length > maxBytes) continue; // one item alone too big: never happens with our shapes
    if (size + bytes > maxBytes && parts.length > 0) {
      payloads.push(head + parts.join(',') + tail);
      parts = [];
      size = head.length + tail.length;
    }
    parts.push(text);
    size += bytes;
  }
  if (parts.length > 0) payloads.push(head + parts.join(',') + tail);
  return payloads;
}

export const incidentPayloads = (changes: readonly IncidentChange[]): string[] => changes.map((change) => JSON.stringify(change));
export const devicePayloads = (changes: readonly DeviceChange[]): string[] => chunkPayloads('devices', changes);
export const eventPayloads = (events: readonly StoredEvent[]): string[] => chunkPayloads('events', events);
