import { isoFromMs, jsonText, type RowKind } from './kind.js';

/** Event messages (protocol `event`) → events. */
export const eventKind: RowKind<'event'> = {
  table: 'events',
  columns: [
    ['time', 'timestamptz', (r) => r.message.ts],
    ['id', 'uuid', (r) => r.message.id],
    ['device_id', 'text', (r) => r.message.deviceId],
    ['type', 'text', (r) => r.message.type],
    ['severity', 'text', (r) => r.message.severity],
    ['class', 'text', (r) => r.message.class],
    ['track_id', 'int', (r) => r.message.trackId],
    ['confidence', 'real', (r) => r.message.confidence],
    ['lat', 'float8', (r) => r.message.location.lat],
    ['lon', 'float8', (r) => r.message.location.lon],
    ['rule', 'text', (r) => r.message.rule],
    ['direction', 'text', (r) => r.message.direction],
    ['speed_kmh', 'real', (r) => r.message.speedKmh],
    ['count', 'int', (r) => r.message.count],
    ['duration_s', 'real', (r) => r.message.durationS],
    ['model_version', 'text', (r) => r.message.modelVersion],
    ['attrs', 'jsonb', (r) => jsonText(r.message.attrs)],
    ['has_snapshot', 'bool', (r) => r.message.snapshot !== undefined],
    ['received_at', 'timestamptz', (r) => isoFromMs(r.receivedAtMs)],
  ],
  returning: ['device_id', 'type', 'severity'],
};
