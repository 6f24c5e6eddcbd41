import { SEVERITIES, type EventType, type Severity } from '@streetwise/protocol';
import type { OpenIncidentRow, RuleLogAction } from '@streetwise/incidents';

/**
 * The first rule engine: safety events become incidents. Pure — takes the batch's stored safety
 * events and the open incidents they may belong to, returns what to insert, update and log.
 *
 * An event joins the open incident of the same device and type when it falls within that rule's
 * dedup window of the incident's last event (bump event_count/last_event_at, log "event");
 * otherwise it opens a new incident (log "opened"). Incident severity is the higher of the rule's
 * base severity and the event's own; a stronger event escalates an open incident (log "escalated").
 * Writing the decision, and the sw_incidents messages, is @streetwise/incidents' writeRuleChanges.
 */
export interface IncidentRule {
  /** Severity an incident of this type has at least. */
  baseSeverity: Severity;
  /** Events closer than this to the incident's last event join it, ms. */
  windowMs: number;
  /** Weaker events (e.g. "info" crowd readings) never open or touch an incident. */
  minEventSeverity: Severity;
}

export type IncidentRules = Partial<Record<EventType, IncidentRule>>;

const MINUTE = 60_000;
export const DEFAULT_INCIDENT_RULES: IncidentRules = {
  collision: { baseSeverity: 'critical', windowMs: 15 * MINUTE, minEventSeverity: 'low' },
  intrusion: { baseSeverity: 'high', windowMs: 5 * MINUTE, minEventSeverity: 'low' },
  wrong_way: { baseSeverity: 'high', windowMs: 5 * MINUTE, minEventSeverity: 'low' },
  stopped_vehicle: { baseSeverity: 'medium', windowMs: 10 * MINUTE, minEventSeverity: 'low' },
  crowd_density: { baseSeverity: 'medium', windowMs: 10 * MINUTE, minEventSeverity: 'medium' },
  loitering: { baseSeverity: 'low', windowMs: 10 * MINUTE, minEventSeverity: 'low' },
};

export interface SafetyEvent {
  id: string;
  deviceId: string;
  type: string;
  severity: Severity;
  tsMs: number;
  lat: number;
  lon: number;
  district: string | null;
}

/** An incident that is not resolved, as the incident step reads it (@streetwise/incidents' openIncidentsSql). */
export type OpenIncident = OpenIncidentRow;

export interface NewIncident extends OpenIncident {
  firstEventId: string;
}

export interface IncidentUpdate {
  id: string;
  addedEvents: number;
  /** Earlier than before when a late event belongs before the incident's first one. */
  openedAtMs: number;
  lastEventId: string;
  lastEventAtMs: number;
  severity: Severity;
}

export interface IncidentLogEntry {
  incidentId: string;
  action: RuleLogAction;
  details: { eventId: string; eventTs: string; severity: Severity; previousSeverity?: Severity };
}

export interface RuleDecision {
  opened: NewIncident[];
  updated: IncidentUpdate[];
  log: IncidentLogEntry[];
  /** One per incident opened or touched: what happened to it (its sw_incidents message's action). */
  changes: Array<{ incidentId: string; action: RuleLogAction }>;
}

export const severityRank = (severity: Severity): number => SEVERITIES.indexOf(severity);
const stronger = (a: Severity, b: Severity): Severity => (severityRank(a) >= severityRank(b) ? a : b);
const pairKey = (deviceId: string, type: string): string => `${deviceId}\u0001${type}`;

/** Events of types that have a rule, strong enough to count. */
export function isSafetyEvent(type: string, severity: Severity, rules: IncidentRules): boolean {
  const rule = rules[type as EventType];
  return rule !== undefined && severityRank(severity) >= severityRank(rule.minEventSeverity);
}

interface Working {
  incident: NewIncident;
  isNew: boolean;
  addedEvents: number;
  action: RuleLogAction;
}

export function applyIncidentRules(
  events: readonly SafetyEvent[],
  openIncidents: readonly OpenIncident[],
  rules: IncidentRules,
  newId: () => string,
): RuleDecision {
  // Every open incident per device+type: events arrive out of order across batches and connections,
  // so an old event may belong to an older incident than the newest one.
  const current = new Map<string, Working[]>();
  for (const open of openIncidents) {
    const key = pairKey(open.deviceId, open.type);
    const list = current.get(key) ?? [];
    list.push({ incident: { ...open, firstEventId: open.lastEventId }, isNew: false, addedEvents: 0, action: 'event' });
    current.set(key, list);
  }
  const touched = new Set<Working>();
  const log: IncidentLogEntry[] = [];
  const ordered = [...events].sort((a, b) => a.tsMs - b.tsMs);

  for (const event of ordered) {
    const rule = rules[event.type as EventType];
    if (rule === undefined || !isSafetyEvent(event.type, event.severity, rules)) continue;
    const key = pairKey(event.deviceId, event.type);
    const candidates = current.get(key) ?? [];
    const working = candidates
      .filter((w) => withinWindow(event.tsMs, w.incident, rule.windowMs))
      .reduce<Working | undefined>((best, w) => (best === undefined || w.incident.lastEventAtMs > best.incident.lastEventAtMs ? w : best), undefined);
    const severity = stronger(rule.baseSeverity, event.severity);
    const details = { eventId: event.id, eventTs: new Date(event.tsMs).toISOString(), severity: event.severity };
    if (working !== undefined) {
      const incident = working.incident;
      incident.eventCount += 1;
      working.addedEvents += 1;
      if (event.tsMs >= incident.lastEventAtMs) {
        incident.lastEventAtMs = event.tsMs;
        incident.lastEventId = event.id;
      }
      if (event.tsMs < incident.openedAtMs) incident.openedAtMs = event.tsMs;
      if (severityRank(severity) > severityRank(incident.severity)) {
        log.push({ incidentId: incident.id, action: 'escalated', details: { ...details, previousSeverity: incident.severity } });
        incident.severity = severity;
        if (!working.isNew) working.action = 'escalated';
      }
      log.push({ incidentId: incident.id, action: 'event', details });
      touched.add(working);
      continue;
    }
    const opened: Working = {
      incident: {
        id: newId(),
        deviceId: event.deviceId,
        type: event.type,
        status: 'open',
        district: event.district,
        severity,
        eventCount: 1,
        openedAtMs: event.tsMs,
        lastEventAtMs: event.tsMs,
        lastEventId: event.id,
        firstEventId: event.id,
        lat: event.lat,
        lon: event.lon,
      },
      isNew: true,
      addedEvents: 1,
      action: 'opened',
    };
    current.set(key, [...candidates, opened]);
    touched.add(opened);
    log.push({ incidentId: opened.incident.id, action: 'opened', details });
  }

  const decision: RuleDecision = { opened: [], updated: [], log, changes: [] };
  for (const working of touched) {
    const { incident } = working;
    if (working.isNew) decision.opened.push(incident);
    else decision.updated.push({ id: incident.id, addedEvents: working.addedEvents, openedAtMs: incident.openedAtMs, lastEventId: incident.lastEventId, lastEventAtMs: incident.lastEventAtMs, severity: incident.severity });
    decision.changes.push({ incidentId: incident.id, action: working.action });
  }
  return decision;
}

/** Late events (older than the incident's last) join it too, back to the window before it opened. */
function withinWindow(tsMs: number, incident: OpenIncident, windowMs: number): boolean {
  return tsMs <= incident.lastEventAtMs + windowMs && tsMs >= incident.openedAtMs - windowMs;
}
