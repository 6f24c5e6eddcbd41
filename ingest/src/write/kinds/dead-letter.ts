import type { RejectedItem } from '../../types.js';
import { isoFromMs, type TableWrite } from './kind.js';

/** Dead letters never fail on text: NULs in topic or client id are replaced (the payload is bytes). */
const cleanText = (text: string): string => text.replaceAll('\u0000', '\uFFFD');

/** Messages refused at intake or in planning → dead_letters, kept as received. */
export const deadLetterWrite: TableWrite<RejectedItem> = {
  table: 'dead_letters',
  columns: [
    ['received_at', 'timestamptz', (d) => isoFromMs(d.receivedAtMs)],
    ['topic', 'text', (d) => cleanText(d.topic)],
    // bytea: travels as base64 text.
    ['payload', 'text', (d) => d.payload.toString('base64'), (v) => `decode(${v}, 'base64')`],
    ['reason_code', 'text', (d) => d.reasonCode],
    ['reason', 'text', (d) => cleanText(d.reason)],
    ['client_id', 'text', (d) => (d.clientId === null ? null : cleanText(d.clientId))],
    ['device_id', 'text', (d) => d.deviceId],
  ],
};
