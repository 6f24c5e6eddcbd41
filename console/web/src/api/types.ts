/**
 * The shapes the console's HTTP API and live feed send the browser (console/src routes, incidents'
 * incident-message.ts). Written out here rather than imported: the web app is bundled for the browser and
 * must not pull in the server packages.
 */
export const ROLES = ['viewer', 'operator', 'planner', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const INCIDENT_STATUSES = ['open', 'acknowledged', 'dispatched', 'resolved'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export const OUTCOMES = ['handled', 'false_alarm', 'duplicate', 'no_action_needed'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const LOG_ACTIONS = ['opened', 'event', 'acknowledged', 'dispatched', 'resolved', 'reopened', 'note', 'escalated', 'viewed', 'notified'] as const;
export type LogAction = (typeof LOG_ACTIONS)[number];

export const DEVICE_STATES = ['online', 'degraded', 'offline'] as const;
export type DeviceState = (typeof DEVICE_STATES)[number];

export type DeviceStateReason = 'fps_low' | 'outbox_growing' | 'inference_errors' | 'silent';

export interface Session {
  username: string;
  role: Role;
  mustChangePassword: boolean;
  via: 'session' | 'token';
  csrfToken?: string;
  endsAt?: string;
}

export interface IncidentView {
  id: string;
  type: string;
  severity: Severity;
  status: IncidentStatus;
  deviceId: string;
  district: string | null;
  lat: number;
  lon: number;
  eventCount: number;
  openedAt: string;
  lastEventAt: string;
  acknowledgedAt: string | null;
  dispatchedAt: string | null;
  resolvedAt: string | null;
  version: number;
  updatedAt: string;
  /** Since the desk (migration 0010); optional until every server sends them. */
  outcome?: Outcome | null;
  unitIds?: string[];
  seenBy?: string[];
}

export interface LogEntry {
  id: string | number;
  at: string;
  action: LogAction;
  actor: string;
  actorKind: 'system' | 'user';
  note: string | null;
  details: Record<string, unknown> | null;
}

export type UnitKind = 'police' | 'fire' | 'ambulance' | 'traffic' | 'maintenance' | 'other';
export type UnitStatus = 'available' | 'dispatched' | 'out_of_service';

export interface Unit {
  id: string;
  name: string;
  kind: UnitKind;
  status: UnitStatus;
  incidentId: string | null;
  updatedAt: string;
}

export interface IncidentEventView {
  id: string;
  time: string;
  type: string;
  severity: Severity;
  class?: string | null;
  confidence?: number | null;
  rule?: string | null;
  /** The device sent a snapshot with the event; ingest keeps the fact, not the image. */
  hasSnapshot?: boolean;
  snapshot?: string | null;
}

export interface IncidentDetail extends IncidentView {
  log: LogEntry[];
  units: Unit[];
  events: IncidentEventView[];
  device: { id: string; name: string | null; kind: string; state: DeviceState; lastSeenAt: string | null; health: Record<string, unknown> | null } | null;
}

export interface AckThreshold {
  amberS: number;
  redS: number;
}

export interface DeskSettings {
  ackThresholds: Record<Severity, AckThreshold>;
  soundSeverities: Severity[];
  webhookConfigured: boolean;
}

export interface DeviceProperties {
  id: string;
  name: string | null;
  kind: string;
  state: DeviceState;
  stateReason: DeviceStateReason | null;
  district: string | null;
  keySite: boolean;
  /** The worst open incident's severity, or null. */
  severity: Severity | null;
}

/** One device on the map: a GeoJSON point whose `id` is the device id (GET /devices/geojson, `devices:diff`). */
export interface DeviceFeature {
  type: 'Feature';
  id: string;
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: DeviceProperties;
}

export interface DeviceCollection {
  type: 'FeatureCollection';
  features: DeviceFeature[];
}

/** GET /devices (the list form, used when /devices/geojson is not there). */
export interface DeviceListItem {
  id: string;
  name?: string;
  kind: string;
  lat: number | null;
  lon: number | null;
  district?: string | null;
  /** online | degraded | offline (older consoles may send other words: drawn as offline). */
  state?: string;
  stateReason?: DeviceStateReason | null;
  keySite?: boolean;
  openIncidentMaxSeverity?: Severity | null;
}

/** The socket.io `incident` message (the sw_incidents NOTIFY payload, unchanged). */
export interface IncidentMessage {
  v: 1;
  action: LogAction;
  incident: IncidentView;
  actor: { kind: 'system' | 'user'; id: string };
  at: string;
}

export interface IncidentMessageCut extends Omit<IncidentMessage, 'incident'> {
  incident: Pick<IncidentView, 'id' | 'version'>;
  cut: true;
}

export type IncidentNotification = IncidentMessage | IncidentMessageCut;

/** The socket.io `devices:diff` message: at most one a second per console node. */
export interface DevicesDiff {
  v: 1;
  at: string;
  upsert: DeviceFeature[];
  remove: string[];
}

/** GET /incidents/changes: the page after a cursor, and the cursor of the next page (null: caught up). */
export interface IncidentChanges {
  items: IncidentView[];
  next: { after: string; afterId: string } | null;
}

/** The one error shape of the API. */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  code: string;
  message: string;
  parameter?: string;
  allowed?: unknown[];
  /** A version conflict carries the incident's current state. */
  incident?: IncidentView;
}
