/**
 * The fleet routes' shapes (console/src/fleet/fleet-schemas.ts, written out: the browser bundle does not
 * import server packages) and the calls the fleet view makes.
 */
import { api } from '../api/client.js';

export const FLEET_SORTS = ['id', 'name', 'district', 'state', 'lastSeenAt', 'configVersion', 'outboxDepth', 'fps', 'inferenceMs'] as const;
export type FleetSort = (typeof FLEET_SORTS)[number];
export type SortOrder = 'asc' | 'desc';
export type DownlinkState = 'connected' | 'disconnected' | 'not_configured';
export const PUSH_STATUSES = ['pending', 'confirmed', 'superseded', 'rejected', 'failed'] as const;
export type PushStatus = (typeof PUSH_STATUSES)[number];

export interface FleetDevice {
  id: string;
  kind: string;
  name: string | null;
  district: string | null;
  districtNameEn: string | null;
  districtNameZh: string | null;
  state: string;
  lastSeenAt: string;
  firmware: string | null;
  configVersion: number | null;
  models: Record<string, string>;
  health: {
    at: string;
    fps: number | null;
    inferenceMsP50: number | null;
    inferenceMsP95: number | null;
    outboxDepth: number | null;
    outboxDropped: number | null;
    cpuPct: number | null;
    configVersion: number | null;
  } | null;
  lastPush: { pushId: string; version: number; pushedAt: string; confirmedAt: string | null } | null;
}

export interface FleetPage {
  total: number;
  downlink: DownlinkState;
  items: FleetDevice[];
}

export interface FleetQuery {
  district: string;
  state: '' | 'online' | 'offline';
  kind: string;
  sort: FleetSort;
  order: SortOrder;
}

export interface PushAnswer {
  pushId: string;
  pushedAt: string;
  devices: Array<{ id: string; version: number; publishedAt: string | null; publishError: string | null }>;
}

export interface PushView {
  id: string;
  pushedAt: string;
  pushedBy: string;
  target: { devices?: string[]; district?: string };
  patch: Record<string, unknown>;
  devices: Array<{
    id: string;
    version: number;
    status: PushStatus;
    publishedAt: string | null;
    publishError: string | null;
    confirmedAt: string | null;
    rejectedAt: string | null;
    rejectReason: string | null;
  }>;
}

/** Most devices the table asks for at once (the API allows 5,000). */
export const FLEET_PAGE_SIZE = 1000;

export function fetchFleet(query: FleetQuery): Promise<FleetPage> {
  const params = new URLSearchParams({ sort: query.sort, order: query.order, limit: String(FLEET_PAGE_SIZE) });
  if (query.district) params.set('district', query.district);
  if (query.state) params.set('state', query.state);
  if (query.kind) params.set('kind', query.kind);
  return api<FleetPage>('GET', `/fleet?${params.toString()}`);
}

export type PushTarget = { devices: string[] } | { district: string };

export function pushConfig(target: PushTarget, patch: Record<string, unknown>): Promise<PushAnswer> {
  return api<PushAnswer>('POST', '/fleet/config', { ...target, patch });
}

export function fetchPush(id: string): Promise<PushView> {
  return api<PushView>('GET', `/fleet/pushes/${encodeURIComponent(id)}`);
}

export function fetchPushes(limit = 20): Promise<{ total: number; items: PushView[] }> {
  return api<{ total: number; items: PushView[] }>('GET', `/fleet/pushes?limit=${limit}`);
}

/** A push is settled when no device of it is pending any more. */
export const settled = (push: PushView): boolean => push.devices.every((d) => d.status !== 'pending');
