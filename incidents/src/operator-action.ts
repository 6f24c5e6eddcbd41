/**
 * An operator's action on an incident: under the row's lock, check the version, ask the state machine,
 * change the incident (and its units), write the incident_log row and send the sw_incidents message, all
 * in one transaction (listeners hear only of committed changes).
 */
import type { Database, Queryable } from '@streetwise/db';
import type { Severity } from '@streetwise/protocol';
import { buildIncidentMessage, encodeIncidentNotification, type IncidentMessage, type IncidentView } from './incident-message.js';
import * as sql from './incident-sql.js';
import { ACTION_RULES, escalation, nextStatus } from './state-machine.js';
import { DISPATCH_UNIT, FREE_UNITS, SELECT_UNIT_FOR_UPDATE, type Unit } from './units.js';
import type { Actor, OperatorAction, Outcome, RecordOnlyLogAction } from './vocabulary.js';

/** A user's `view` is logged at most once per this many seconds ("seen by" is about who, not how often). */
export const VIEW_DEDUPE_S = 60;

interface RequestBase {
  id: string;
  actor: Actor;
  note?: string | undefined;
  /** The version the operator saw; the action is refused when the incident has changed since (not for note and view). */
  expectedVersion?: number | undefined;
}

/** What each action needs besides the incident and the actor. */
export type OperatorRequest = RequestBase &
  (
    | { action: 'acknowledge' }
    /** The unit to send; it must be available. */
    | { action: 'dispatch'; unitId: string }
    | { action: 'note'; note: string }
    /** One step up when `severity` is not given. */
    | { action: 'escalate'; severity?: Severity | undefined }
    | { action: 'resolve'; outcome: Outcome }
    | { action: 'view' }
  );

export type OperatorResult =
  /** `message` is null when nothing was recorded (a second view within VIEW_DEDUPE_S). */
  | { ok: true; incident: IncidentView; message: IncidentMessage | null }
  | { ok: false; reason: 'not_found' }
  /** The state machine does not allow the action from the incident's status. */
  | { ok: false; reason: 'refused'; incident: IncidentView; allowed: OperatorAction[] }
  /** The incident changed after the version the operator saw. */
  | { ok: false; reason: 'stale'; incident: IncidentView }
  | { ok: false; reason: 'unit_not_found'; incident: IncidentView; unitId: string }
  /** The unit is dispatched elsewhere or out of service. */
  | { ok: false; reason: 'unit_unavailable'; incident: IncidentView; unit: Unit }
  /** An escalation that would not raise the severity; `higher` are the severities it could go to. */
  | { ok: false; reason: 'not_higher'; incident: IncidentView; higher: Severity[] };

/** What the change writes besides the status: severity, outcome, the log row's details. */
interface Change {
  severity: Severity;
  outcome: Outcome | null;
  details: Record<string, unknown> | null;
}

export async function applyOperatorAction(db: Database, request: OperatorRequest): Promise<OperatorResult> {
  return db.transaction(async (tx): Promise<OperatorResult> => {
    const current = await selectIncident(tx, sql.SELECT_INCIDENT_FOR_UPDATE, request.id);
    if (current === undefined) return { ok: false, reason: 'not_found' };
    const rule = ACTION_RULES[request.action];
    if (rule.checksVersion && request.expectedVersion !== undefined && request.expectedVersion !== current.version) return { ok: false, reason: 'stale', incident: current };
    const move = nextStatus(current.status, request.action);
    if (!move.ok) return { ok: false, reason: 'refused', incident: current, allowed: move.allowed };
    if (!move.bumpsVersion) return recordView(tx, current, request.actor);

    const change: Change = { severity: current.severity, outcome: null, details: null };
    switch (request.action) {
      case 'dispatch': {
        const unit = (await tx.query<{ unit: Unit }>(SELECT_UNIT_FOR_UPDATE, [request.unitId])).rows[0]?.unit;
        if (unit === undefined) return { ok: false, reason: 'unit_not_found', incident: current, unitId: request.unitId };
        if (unit.status !== 'available') return { ok: false, reason: 'unit_unavailable', incident: current, unit };
        await tx.query(DISPATCH_UNIT, [unit.id, current.id]);
        change.details = { unitId: unit.id, unitName: unit.name };
        break;
      }
      case 'escalate': {
        const step = escalation(current.severity, request.severity);
        if (!step.ok) return { ok: false, reason: 'not_higher', incident: current, higher: step.higher };
        change.severity = step.to;
        change.details = { from: step.from, to: step.to };
        break;
      }
      case 'resolve': {
        const freed = (await tx.query<{ id: string; name: string }>(FREE_UNITS, [current.id])).rows;
        change.outcome = request.outcome;
        change.details = { outcome: request.outcome, freedUnitIds: freed.map((u) => u.id).sort() };
        break;
      }
      case 'acknowledge':
      case 'note':
        break;
    }
    await tx.query(sql.applyChangeSql(move.stamp), [
      current.id, move.to, change.severity, change.outcome, move.log, request.actor.kind, request.actor.id, request.note ?? null,
      change.details === null ? null : JSON.stringify(change.details),
    ]);
    const incident = (await selectIncident(tx, sql.SELECT_INCIDENT, current.id))!;
    return { ok: true, incident, message: await notify(tx, buildIncidentMessage(move.log, incident, request.actor)) };
  });
}

/** `viewed`, at most once per user per VIEW_DEDUPE_S: no new version, no new updated_at. */
async function recordView(tx: Queryable, current: IncidentView, actor: Actor): Promise<OperatorResult> {
  const recent = (await tx.query<{ recent: boolean }>(sql.RECENTLY_VIEWED, [current.id, actor.id, VIEW_DEDUPE_S])).rows[0]?.recent === true;
  if (recent) return { ok: true, incident: current, message: null };
  const message = await insertRecordOnly(tx, current.id, 'viewed', actor, null);
  return { ok: true, incident: message.incident, message };
}

/**
 * A log row that changes nothing an operator acts on (`viewed`, `notified`), and its message: the
 * incident keeps its version, so a listener keeps its copy and adds the row to an open timeline.
 */
export async function recordIncidentLog(db: Database, id: string, action: RecordOnlyLogAction, actor: Actor, details: Record<string, unknown> | null): Promise<IncidentMessage | undefined> {
  return db.transaction(async (tx) => {
    if ((await selectIncident(tx, sql.SELECT_INCIDENT_FOR_UPDATE, id)) === undefined) return undefined;
    return insertRecordOnly(tx, id, action, actor, details);
  });
}

async function insertRecordOnly(tx: Queryable, id: string, action: RecordOnlyLogAction, actor: Actor, details: Record<string, unknown> | null): Promise<IncidentMessage> {
  const at = (await tx.query<{ at: string }>(sql.INSERT_RECORD_ONLY_LOG, [id, action, actor.kind, actor.id, details === null ? null : JSON.stringify(details)])).rows[0]!.at;
  const incident = (await selectIncident(tx, sql.SELECT_INCIDENT, id))!;
  return notify(tx, buildIncidentMessage(action, incident, actor, at));
}

async function selectIncident(tx: Queryable, statement: string, id: string): Promise<IncidentView | undefined> {
  return (await tx.query<{ incident: IncidentView }>(statement, [id])).rows[0]?.incident;
}

async function notify(tx: Queryable, message: IncidentMessage): Promise<IncidentMessage> {
  await tx.query(sql.NOTIFY_INCIDENTS, [[encodeIncidentNotification(message)]]);
  return message;
}
