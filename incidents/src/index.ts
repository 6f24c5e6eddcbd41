export {
  INCIDENT_STATUSES,
  OPERATOR_ACTIONS,
  STATUS_ACTIONS,
  LOG_ACTIONS,
  ACTOR_KINDS,
  OUTCOMES,
  UNIT_KINDS,
  UNIT_STATUSES,
  INGEST_ACTOR,
  isIncidentStatus,
  isOperatorAction,
  isLogAction,
  isOutcome,
} from './vocabulary.js';
export type {
  IncidentStatus,
  OperatorAction,
  StatusAction,
  LogAction,
  RecordOnlyLogAction,
  RuleLogAction,
  ActorKind,
  Actor,
  Outcome,
  UnitKind,
  UnitStatus,
  ManualUnitStatus,
} from './vocabulary.js';
export { TRANSITIONS, ACTION_RULES, ACTIVE_STATUSES, isActiveStatus, nextStatus, allowedActions, severityRank, escalation } from './state-machine.js';
export type { Transition, ActionRule, Move, StampColumn, Escalation } from './state-machine.js';
export {
  INCIDENT_MESSAGE_VERSION,
  buildIncidentMessage,
  encodeIncidentNotification,
  parseIncidentNotification,
} from './incident-message.js';
export type { IncidentView, IncidentMessage, IncidentMessageCut, IncidentNotification } from './incident-message.js';
export { activeIncidentSql, INCIDENT_JSON, INCIDENT_SORTS, openIncidentsSql } from './incident-sql.js';
export type { IncidentSort } from './incident-sql.js';
export { listIncidents, getIncident, incidentEvents } from './incident-queries.js';
export type { IncidentListFilter, IncidentLogRow, IncidentWithLog, IncidentEvent } from './incident-queries.js';
export { applyOperatorAction, recordIncidentLog, VIEW_DEDUPE_S } from './operator-action.js';
export type { OperatorRequest, OperatorResult } from './operator-action.js';
export { listUnits, incidentUnits, createUnit, updateUnit, UNIT_ID_PATTERN } from './units.js';
export type { Unit, NewUnit, UnitChange, UnitWriteResult } from './units.js';
export { selectDueEscalations, claimEscalation } from './escalations.js';
export { INGEST_RULES_LOCK_SQL, selectOpenIncidents, toOpenIncident, writeRuleChanges } from './rule-writes.js';
export type { OpenIncidentRow, OpenIncidentSqlRow, OpenedIncident, IncidentTouch, RuleLogRow, RuleChanges } from './rule-writes.js';
