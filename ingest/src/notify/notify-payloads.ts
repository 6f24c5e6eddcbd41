import { NOTIFY_PAYLOAD_MAX_BYTES } from '@streetwise/db';
import type { StoredEvent } from '../types.js';

/**
 * NOTIFY payloads (PostgreSQL refuses 8,000 bytes or more):
 * sw_events:    {"v":1,"events":[{id, deviceId, type, severity, ts, lat, lon}, …]} for new events above
 *               "info" (summaries made and chunked here, sent by the batch statement only for the rows
 *               really inserted), and {"v":1,"counts":[[deviceId, type, n], …]} for the new "info" events
 *               of a batch (detections, line crossings: the bulk), so NOTIFY grows with devices, not events;
 * sw_incidents: one message per incident opened or touched (@streetwise/incidents' encodeIncidentNotification);
 * sw_devices:   {"v":1,"devices":[{id, state, registered}, …]}, built in SQL (batch-statement.ts).
 */
const EVENTS_FRAME_BYTES = '{"v":1,"events":[]}'.length;

/** One JSON summary per event and the payload (chunk) it goes in, so no payload exceeds the limit. */
export function eventSummaries(events: readonly StoredEvent[], maxBytes = NOTIFY_PAYLOAD_MAX_BYTES): { ids: string[]; json: string[]; chunks: number[] } {
  const out = { ids: [] as string[], json: [] as string[], chunks: [] as number[] };
  let chunk = 0;
  let size = EVENTS_FRAME_BYTES;
  for (const event of events) {
    const text = JSON.stringify(event);
    const bytes = Buffer.byteLength(text) + 1;
    if (size + bytes > maxBytes && size > EVENTS_FRAME_BYTES) {
      chunk += 1;
      size = EVENTS_FRAME_BYTES;
    }
    size += bytes;
    out.ids.push(event.id);
    out.json.push(text);
    out.chunks.push(chunk);
  }
  return out;
}
