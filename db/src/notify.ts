/**
 * Postgres NOTIFY channels shared by ingest (sender) and console (listener). Payloads are small JSON
 * objects (ids and a few fields): NOTIFY allows < 8000 bytes, so listeners fetch details by id.
 */
import type { Queryable } from './port.js';
import { SW_DB_CHANNEL_INVALID, SW_DB_NOTIFY_PAYLOAD_TOO_LARGE } from './errors.js';

export const NOTIFY_CHANNELS = {
  events: 'sw_events',
  incidents: 'sw_incidents',
  devices: 'sw_devices',
  /** {v:1, devices:[id…]}: health arrived for these devices (the console recomputes their live state). */
  health: 'sw_health',
} as const;

export type NotifyChannel = (typeof NOTIFY_CHANNELS)[keyof typeof NOTIFY_CHANNELS];

/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more. */
export const NOTIFY_PAYLOAD_MAX_BYTES = 7999;

const CHANNEL_PATTERN = /^[a-z][a-z0-9_]{0,62}$/;

export function assertChannelName(channel: string): void {
  if (!CHANNEL_PATTERN.test(channel)) throw SW_DB_CHANNEL_INVALID([channel]);
}

/** Encode a payload object as JSON and check its size (in UTF-8 bytes). */
export function encodeNotifyPayload(channel: string, payload: unknown): string {
  const text = JSON.stringify(payload);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > NOTIFY_PAYLOAD_MAX_BYTES) throw SW_DB_NOTIFY_PAYLOAD_TOO_LARGE([channel, bytes]);
  return text;
}

/**
 * Send a notification. Inside a transaction (pass the tx), listeners receive it only after COMMIT,
 * and not at all after ROLLBACK.
 */
export async function notify(q: Queryable, channel: string, payload: unknown): Promise<void> {
  assertChannelName(channel);
  await q.query('SELECT pg_notify($1, $2)', [channel, encodeNotifyPayload(channel, payload)]);
}
