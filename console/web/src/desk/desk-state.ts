/**
 * The desk's own state, as signals beside the live store: the queue's filter, sort and cursor, a clock
 * for the timers, the desk settings and the units. The queue itself is a computed view over the store's
 * incidents, so a live message re-sorts it with no code here.
 */
import { computed, signal } from '@preact/signals';
import { api } from '../api/client.js';
import type { DeskSettings, IncidentView, Unit } from '../api/types.js';
import { incidents, upsertIncidents } from '../live/store.js';
import { FALLBACK_ACK_THRESHOLDS } from './ack-timer.js';
import { DEFAULT_QUEUE_FILTER, queueView, type QueueFilter, type QueueSort } from './queue.js';

export const queueFilter = signal<QueueFilter>(DEFAULT_QUEUE_FILTER);
export const queueSort = signal<QueueSort>('severity');
/** The row the keyboard is on (j/k); Enter opens it. */
export const cursorId = signal<string | null>(null);
/** Ticks once a second while the desk is on screen: the timers and the 1 h/6 h/24 h window read it. */
export const nowMs = signal(Date.now());

export const deskSettings = signal<DeskSettings>({ ackThresholds: FALLBACK_ACK_THRESHOLDS, soundSeverities: ['critical'], webhookConfigured: false });
export const units = signal<readonly Unit[]>([]);

export const visibleQueue = computed<IncidentView[]>(() => queueView(incidents.value.values(), queueFilter.value, queueSort.value, nowMs.value));

export async function loadDeskSettings(): Promise<void> {
  deskSettings.value = await api<DeskSettings>('GET', '/desk/settings');
}

export async function loadUnits(): Promise<void> {
  const body = await api<Unit[] | { items: Unit[] }>('GET', '/units');
  units.value = Array.isArray(body) ? body : body.items;
}

/**
 * The store holds the unresolved incidents (and those resolved while the page was open); a filter that
 * shows resolved ones reads them from the API once per choice.
 */
export async function loadResolved(): Promise<void> {
  const body = await api<{ items: IncidentView[] }>('GET', '/incidents?status=resolved&limit=200');
  upsertIncidents(body.items);
}

export function startClock(): () => void {
  nowMs.value = Date.now();
  const timer = setInterval(() => {
    nowMs.value = Date.now();
  }, 1000);
  return () => clearInterval(timer);
}
