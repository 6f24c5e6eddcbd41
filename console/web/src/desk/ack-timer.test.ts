import { describe, expect, it } from 'vitest';
import { ackTimer, FALLBACK_ACK_THRESHOLDS, type AckThresholds } from './ack-timer.js';

const OPENED = '2026-03-01T12:00:00.000Z';
const at = (seconds: number): number => Date.parse(OPENED) + seconds * 1000;
const thresholds: AckThresholds = { ...FALLBACK_ACK_THRESHOLDS, critical: { amberS: 60, redS: 180 }, low: { amberS: 600, redS: 1200 } };

describe('time-to-acknowledge', () => {
  it('goes amber, then red, at the thresholds of its severity', () => {
    const critical = { severity: 'critical', status: 'open', openedAt: OPENED } as const;
    expect(ackTimer(critical, thresholds, at(0))).toEqual({ level: 'ok', waitedS: 0, nextChangeInS: 60 });
    expect(ackTimer(critical, thresholds, at(59.9))).toEqual({ level: 'ok', waitedS: 59, nextChangeInS: 1 });
    expect(ackTimer(critical, thresholds, at(60))).toEqual({ level: 'amber', waitedS: 60, nextChangeInS: 120 });
    expect(ackTimer(critical, thresholds, at(180))).toEqual({ level: 'red', waitedS: 180, nextChangeInS: null });
    const low = { ...critical, severity: 'low' } as const;
    expect(ackTimer(low, thresholds, at(180)).level).toBe('ok');
    expect(ackTimer(low, thresholds, at(600)).level).toBe('amber');
  });

  it('stops once acknowledged, and never counts a clock behind the opening as negative', () => {
    for (const status of ['acknowledged', 'dispatched', 'resolved'] as const) {
      expect(ackTimer({ severity: 'critical', status, openedAt: OPENED }, thresholds, at(999))).toEqual({ level: 'none', waitedS: 0, nextChangeInS: null });
    }
    expect(ackTimer({ severity: 'critical', status: 'open', openedAt: OPENED }, thresholds, at(-5))).toMatchObject({ level: 'ok', waitedS: 0 });
  });
});
