/**
 * The one shape of "an incident changed": the payload of NOTIFY sw_incidents, the socket.io `incident`
 * message the console forwards unchanged, and what ingest's bus emits. Ingest's rules and the
 * console's operator actions both send it.
 *
 *   {"v":1,"action":"acknowledged","incident":{…IncidentView…},"actor":{"kind":"user","id":"op-7"},"at":"…Z"}
 *
 * PostgreSQL refuses a NOTIFY payload of 8,000 bytes or more; a message over the limit (a very long
 * district name) goes out cut to the incident's id and version with `"cut":true`, and a listener
 * fetches the rest with GET /api/v1/incidents/:id.
 */
import { NOTIFY_PAYLOAD_MAX_BYTES } from '@streetwise/db';
import type { Severity } from '@streetwise/protocol';
import { ACTOR_KINDS, isIncidentStatus, isLogAction, type Actor, type IncidentStatus, type LogAction, type Outcome } from './vocabulary.js';

/** An incident as the HTTP API and every message show it. Times are ISO 8601 UTC with milliseconds. */
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
  /** 1 when opened, +1 on every change (an event, an escalation, an operator action but `view`). */
  version: number;
  updatedAt: string;
  /** How it ended; only when resolved. */
  outcome: Outcome | null;
  /** Units dispatched to it now (a resolve frees them), by id. */
  unitIds: string[];
  /** Who opened it in the desk (`viewed` log rows), each once, in the order they first did. */
  seenBy: string[];
}

export const INCIDENT_MESSAGE_VERSION = 1;

export interface IncidentMessage {
  v: typeof INCIDENT_MESSAGE_VERSION;
  /** What happened (the incident_log action). */
  action: LogAction;
  incident: IncidentView;
  actor: Actor;
  /** When it happened: the change's transaction time. */
  at: string;
}

/** A message too large for NOTIFY, as sent: the listener fetches the incident by id. */
export interface IncidentMessageCut extends Omit<IncidentMessage, 'incident'> {
  incident: Pick<IncidentView, 'id' | 'version'>;
  cut: true;
}

export type IncidentNotification = IncidentMessage | IncidentMessageCut;

/** The message for one change; `at` defaults to the incident's updatedAt (every change sets it). */
export function buildIncidentMessage(action: LogAction, incident: IncidentView, actor: Actor, at: string = incident.updatedAt): IncidentMessage {
  return { v: INCIDENT_MESSAGE_VERSION, action, incident, actor: { kind: actor.kind, id: actor.id }, at };
}

/** The NOTIFY payload: the whole message when it fits under the limit (UTF-8 bytes), else the cut one. */
export function encodeIncidentNotification(message: IncidentMessage, maxBytes: number = NOTIFY_PAYLOAD_MAX_BYTES): string {
  const text = JSON.stringify(message);
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  const cut: IncidentMessageCut = { ...message, incident: { id: message.incident.id, version: message.incident.version }, cut: true };
  return JSON.stringify(cut);
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A received sw_incidents payload, checked for the fields every listener relies on (v, action, actor,
 * at, incident id and version; status when not cut); undefined when it is not such a message.
 */
export function parseIncidentNotification(payload: string): IncidentNotification | undefined {
  let body: unknown;
  try {
    body = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (!isObject(body) || body['v'] !== INCIDENT_MESSAGE_VERSION || !isLogAction(body['action']) || typeof body['at'] !== 'string') return undefined;
  const { actor, incident } = body;
  if (!isObject(actor) || !(ACTOR_KINDS as readonly unknown[]).includes(actor['kind']) || typeof actor['id'] !== 'string') return undefined;
  if (!isObject(incident) || typeof incident['id'] !== 'string' || typeof incident['version'] !== 'number') return undefined;
  if (body['cut'] !== true && !isIncidentStatus(incident['status'])) return undefined;
  return body as unknown as IncidentNotification;
}
