import type { StoredEvent } from '../../types.js';
import type { TableWrite } from './kind.js';

/** A safety event as the incident queue holds it: its summary and the device's district. */
export type QueuedSafetyEvent = StoredEvent & { district: string | null };

/** New safety events → incident_queue (migration 0014), for the incident step (incidents/incident-step.ts). */
export const incidentQueueWrite: TableWrite<QueuedSafetyEvent> = {
  table: 'incident_queue',
  columns: [
    ['event_id', 'uuid', (e) => e.id],
    ['device_id', 'text', (e) => e.deviceId],
    ['type', 'text', (e) => e.type],
    ['severity', 'text', (e) => e.severity],
    ['ts', 'timestamptz', (e) => e.ts],
    ['lat', 'float8', (e) => e.lat],
    ['lon', 'float8', (e) => e.lon],
    ['district', 'text', (e) => e.district],
  ],
};
