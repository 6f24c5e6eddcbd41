/** Reading incidents: lists and one incident with its log, in the shape the HTTP API returns. */
import type { Queryable } from '@streetwise/db';
import type { IncidentView } from './incident-message.js';
import * as sql from './incident-sql.js';
import type { ActorKind, IncidentStatus, LogAction } from './vocabulary.js';

export interface IncidentListFilter {
  status?: IncidentStatus | undefined;
  /** Only incidents that are not resolved. */
  active?: boolean | undefined;
  /** Any of these districts (as stored). */
  districts?: readonly string[] | undefined;
  /** Any of these devices. */
  devices?: readonly string[] | undefined;
  limit: number;
  offset: number;
}

export interface IncidentLogRow {
  at: string;
  action: LogAction;
  /** The actor's id (an operator's id, or `ingest`). */
  actor: string;
  actorKind: ActorKind;
  note: string | null;
  details: Record<string, unknown> | null;
}

export interface IncidentWithLog extends IncidentView {
  log: IncidentLogRow[];
}

/** Newest first. */
export async function listIncidents(q: Queryable, filter: IncidentListFilter): Promise<IncidentView[]> {
  const { rows } = await q.query<{ incident: IncidentView }>(sql.LIST_INCIDENTS, [
    filter.status ?? null, filter.active ?? null, filter.districts ?? null, filter.devices ?? null, filter.limit, filter.offset,
  ]);
  return rows.map((r) => r.incident);
}

export async function getIncident(q: Queryable, id: string): Promise<IncidentWithLog | undefined> {
  const { rows } = await q.query<{ incident: IncidentView }>(sql.SELECT_INCIDENT, [id]);
  if (rows[0] === undefined) return undefined;
  const log = await q.query<IncidentLogRow>(sql.SELECT_LOG, [id]);
  return { ...rows[0].incident, log: log.rows };
}

