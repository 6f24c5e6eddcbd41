/**
 * Time-to-acknowledge: an open incident goes amber, then red, as it waits past the thresholds set per
 * severity (GET /desk/settings `ackThresholds`). Only `open` incidents wait; once acknowledged the timer
 * stops and shows nothing.
 */
import type { DeskSeverity, DeskStatus } from './queue.js';

export interface AckThreshold {
  amberS: number;
  redS: number;
}
export type AckThresholds = Record<DeskSeverity, AckThreshold>;

/** What the desk shows before /desk/settings answers (the server's defaults are the authority). */
export const FALLBACK_ACK_THRESHOLDS: AckThresholds = Object.freeze({
  info: { amberS: 3600, redS: 14_400 },
  low: { amberS: 1800, redS: 7200 },
  medium: { amberS: 600, redS: 1800 },
  high: { amberS: 180, redS: 600 },
  critical: { amberS: 60, redS: 180 },
});

/** `none`: not waiting (acknowledged, dispatched or resolved). */
export type AckLevel = 'none' | 'ok' | 'amber' | 'red';

export interface AckTimer {
  level: AckLevel;
  /** Whole seconds since it opened (0 when not waiting). */
  waitedS: number;
  /** Whole seconds until the next level (null when red or not waiting): lets the UI schedule one re-render. */
  nextChangeInS: number | null;
}

export function ackTimer(
  incident: { severity: DeskSeverity; status: DeskStatus; openedAt: string },
  thresholds: AckThresholds,
  nowMs: number,
): AckTimer {
  if (incident.status !== 'open') return { level: 'none', waitedS: 0, nextChangeInS: null };
  const waitedS = Math.max(0, Math.floor((nowMs - Date.parse(incident.openedAt)) / 1000));
  const { amberS, redS } = thresholds[incident.severity];
  if (waitedS >= redS) return { level: 'red', waitedS, nextChangeInS: null };
  if (waitedS >= amberS) return { level: 'amber', waitedS, nextChangeInS: redS - waitedS };
  return { level: 'ok', waitedS, nextChangeInS: amberS - waitedS };
}
