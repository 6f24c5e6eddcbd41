/**
 * An operator's action on an incident: under the row's lock, ask the state machine, move the status,
 * write the incident_log row and send the sw_incidents message, all in one transaction (listeners hear
 * only of committed changes).
 */
import type { Database } from '@streetwise/db';
import { buildIncidentMessage, encodeIncidentNotification, type IncidentMessage, type IncidentView } from './incident-message.js';
import * as sql from './incident-sql.js';
import { nextStatus } from './state-machine.js';
import type { Actor, OperatorAction } from './vocabulary.js';

export interface OperatorRequest {
  id: string;
  action: OperatorAction;
  actor: Actor;
  note?: string | undefined;
  /** The version the operator saw; the action is refused when the incident has changed since. */
  expectedVersion?: number | undefined;
}

export type OperatorResult =
  | { ok: true; incident: IncidentView; message: IncidentMessage }
  | { ok: false; reason: 'not_found' }
  /** The state machine does not allow the action from the incident's status. */
  | { ok: false; reason: 'refused'; incident: IncidentView; allowed: OperatorAction[] }
  /** The incident changed after the version the operator saw. */
  | { ok: false; reason: 'stale'; incident: IncidentView };

export async function applyOperatorAction(db: Database, request: OperatorRequest): Promise<OperatorResult> {
  return db.transaction(async (tx): Promise<OperatorResult> => {
    const current = (await tx.query<{ incident: IncidentView }>(sql.SELECT_INCIDENT_FOR_UPDATE, [request.id])).rows[0]?.incident;
    if (current === undefined) return { ok: false, reason: 'not_found' };
    if (request.expectedVersion !== undefined && request.expectedVersion !== current.version) return { ok: false, reason: 'stale', incident: current };
    const move = nextStatus(current.status, request.action);
    if (!move.ok) return { ok: false, reason: 'refused', incident: current, allowed: move.allowed };
    const { rows } = await tx.query<{ incident: IncidentView }>(sql.applyMoveSql(move.stamp), [
      request.id, move.to, move.log, request.actor.kind, request.actor.id, request.note ?? null,
    ]);
    const incident = rows[0]!.incident;
    const message = buildIncidentMessage(move.log, incident, request.actor);
    await tx.query(sql.NOTIFY_INCIDENTS, [[encodeIncidentNotification(message)]]);
    return { ok: true, incident, message };
  });
}

