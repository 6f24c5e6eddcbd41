/**
 * The closed sets of words an incident is described with. The database's CHECK constraints on
 * incidents.status, incident_log.action and incident_log.actor_kind hold the same lists; a test
 * (schema-agreement.test.ts) reads them from the migrated catalogue and fails when the two drift apart.
 */

/** Where an incident is in its life. Only `resolved` is final (for now: `reopened` is reserved in the log). */
export const INCIDENT_STATUSES = ['open', 'acknowledged', 'dispatched', 'resolved'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/**
 * What an operator can ask for (the verb in `POST /incidents/:id/:action`). `acknowledge`, `dispatch` and
 * `resolve` move the status (STATUS_ACTIONS); `note` and `escalate` change the incident without moving
 * it; `view` records who opened it ("seen by") and changes nothing.
 */
export const OPERATOR_ACTIONS = ['acknowledge', 'dispatch', 'note', 'escalate', 'resolve', 'view'] as const;
export type OperatorAction = (typeof OPERATOR_ACTIONS)[number];

/** The operator actions that move an incident's status and stamp when it first got there. */
export const STATUS_ACTIONS = ['acknowledge', 'dispatch', 'resolve'] as const satisfies readonly OperatorAction[];
export type StatusAction = (typeof STATUS_ACTIONS)[number];

/** How a resolved incident ended (incidents.outcome, a CHECK since 0010); set only by `resolve`. */
export const OUTCOMES = ['handled', 'false_alarm', 'duplicate', 'no_action_needed'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Response units (units.kind and units.status, CHECKs since 0010). */
export const UNIT_KINDS = ['police', 'fire', 'ambulance', 'traffic', 'maintenance', 'other'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];
export const UNIT_STATUSES = ['available', 'dispatched', 'out_of_service'] as const;
export type UnitStatus = (typeof UNIT_STATUSES)[number];
/** What an admin may set by hand: `dispatched` comes only with a dispatch, and only a resolve ends it. */
export type ManualUnitStatus = Exclude<UnitStatus, 'dispatched'>;

/**
 * What happened to an incident: one incident_log row each, and the `action` of its sw_incidents message.
 * Written by ingest's rules: opened, event, escalated. By operators: acknowledged, dispatched, resolved,
 * note, escalated, viewed. By the console itself: notified. `reopened` is accepted by the schema since 0001
 * but nothing writes it yet. Since 0010: `viewed` (an operator opened
 * it: "seen by"; changes nothing, so no new version) and `notified` (the console told someone outside it).
 */
export const LOG_ACTIONS = ['opened', 'event', 'acknowledged', 'dispatched', 'resolved', 'reopened', 'note', 'escalated', 'viewed', 'notified'] as const;
export type LogAction = (typeof LOG_ACTIONS)[number];

/** Log rows that record without changing the incident: no new version, no new updated_at. */
export type RecordOnlyLogAction = Extract<LogAction, 'viewed' | 'notified'>;

/** The log actions ingest's rules write. */
export type RuleLogAction = Extract<LogAction, 'opened' | 'event' | 'escalated'>;

/** Who made a change: a program (ingest's rules) or a person at the console. */
export const ACTOR_KINDS = ['system', 'user'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

export interface Actor {
  kind: ActorKind;
  /** `ingest` for the rules; the operator's id for a person (at most 64 characters). */
  id: string;
}

/** The actor of every change ingest's incident rules make. */
export const INGEST_ACTOR: Actor = Object.freeze({ kind: 'system', id: 'ingest' });

export const isIncidentStatus = (value: unknown): value is IncidentStatus => (INCIDENT_STATUSES as readonly unknown[]).includes(value);
export const isOperatorAction = (value: unknown): value is OperatorAction => (OPERATOR_ACTIONS as readonly unknown[]).includes(value);
export const isLogAction = (value: unknown): value is LogAction => (LOG_ACTIONS as readonly unknown[]).includes(value);
export const isOutcome = (value: unknown): value is Outcome => (OUTCOMES as readonly unknown[]).includes(value);
