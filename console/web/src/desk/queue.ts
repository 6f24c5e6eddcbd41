/**
 * The desk's queue as plain values: which incidents an operator's filters keep, and in which order.
 * The UI keeps the filter in a signal and calls `queueView` on every change of the incidents map.
 */

export const SEVERITY_ORDER = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type DeskSeverity = (typeof SEVERITY_ORDER)[number];
export const STATUS_ORDER = ['open', 'acknowledged', 'dispatched', 'resolved'] as const;
export type DeskStatus = (typeof STATUS_ORDER)[number];

/** The fields of an incident the queue reads (the API's IncidentView has them all). */
export interface QueueIncident {
  id: string;
  type: string;
  severity: DeskSeverity;
  status: DeskStatus;
  district: string | null;
  openedAt: string;
  lastEventAt: string;
  updatedAt: string;
}

/** `active` = every status but resolved (the desk's default); `all` = no status filter. */
export type StatusFilter = 'active' | 'all' | DeskStatus;
export type SeverityFilter = 'all' | DeskSeverity;
/** Incidents opened within the last hour, 6 hours or 24 hours, or at any time. */
export type WindowFilter = 'all' | '1h' | '6h' | '24h';
export const WINDOW_FILTERS: readonly WindowFilter[] = ['all', '1h', '6h', '24h'];
export const WINDOW_MS: Record<Exclude<WindowFilter, 'all'>, number> = { '1h': 3_600_000, '6h': 6 * 3_600_000, '24h': 24 * 3_600_000 };

/** Severity first (critical on top, then the longest waiting); newest or oldest opened; last activity. */
export type QueueSort = 'severity' | 'newest' | 'oldest' | 'activity';
export const QUEUE_SORTS: readonly QueueSort[] = ['severity', 'newest', 'oldest', 'activity'];

export interface QueueFilter {
  status: StatusFilter;
  /** The lowest severity shown (`high` shows high and critical). */
  severity: SeverityFilter;
  /** An incident type (`intrusion`, …) or `all`. */
  type: string;
  /** A district code letter or `all`. */
  district: string;
  window: WindowFilter;
}

export const DEFAULT_QUEUE_FILTER: QueueFilter = Object.freeze({ status: 'active', severity: 'all', type: 'all', district: 'all', window: 'all' });

export const severityRank = (severity: DeskSeverity): number => SEVERITY_ORDER.indexOf(severity);

export function keepsIncident(filter: QueueFilter, incident: QueueIncident, nowMs: number): boolean {
  if (filter.status === 'active' ? incident.status === 'resolved' : filter.status !== 'all' && incident.status !== filter.status) return false;
  if (filter.severity !== 'all' && severityRank(incident.severity) < severityRank(filter.severity)) return false;
  if (filter.type !== 'all' && incident.type !== filter.type) return false;
  if (filter.district !== 'all' && incident.district !== filter.district) return false;
  if (filter.window !== 'all' && Date.parse(incident.openedAt) < nowMs - WINDOW_MS[filter.window]) return false;
  return true;
}

const byTimeDesc = (a: string, b: string): number => Date.parse(b) - Date.parse(a);

/** Ties fall back to the id so that the order never flickers between two renders. */
export function compareIncidents(sort: QueueSort, a: QueueIncident, b: QueueIncident): number {
  let order: number;
  switch (sort) {
    case 'severity':
      // Unresolved before resolved, then the most severe, then the one waiting longest.
      order = Number(a.status === 'resolved') - Number(b.status === 'resolved')
        || severityRank(b.severity) - severityRank(a.severity)
        || -byTimeDesc(a.openedAt, b.openedAt);
      break;
    case 'newest':
      order = byTimeDesc(a.openedAt, b.openedAt);
      break;
    case 'oldest':
      order = -byTimeDesc(a.openedAt, b.openedAt);
      break;
    case 'activity':
      order = byTimeDesc(a.updatedAt, b.updatedAt);
      break;
  }
  return order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export function queueView<I extends QueueIncident>(incidents: Iterable<I>, filter: QueueFilter, sort: QueueSort, nowMs: number): I[] {
  const kept: I[] = [];
  for (const incident of incidents) if (keepsIncident(filter, incident, nowMs)) kept.push(incident);
  return kept.sort((a, b) => compareIncidents(sort, a, b));
}

/** The types and districts present, for the filter menus (sorted; a chosen value stays listed). */
export function filterChoices(incidents: Iterable<QueueIncident>, filter: QueueFilter): { types: string[]; districts: string[] } {
  const types = new Set<string>();
  const districts = new Set<string>();
  for (const incident of incidents) {
    types.add(incident.type);
    if (incident.district !== null) districts.add(incident.district);
  }
  if (filter.type !== 'all') types.add(filter.type);
  if (filter.district !== 'all') districts.add(filter.district);
  return { types: [...types].sort(), districts: [...districts].sort() };
}
