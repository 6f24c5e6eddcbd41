/**
 * Incidents for the desk's tests, written the way ingest writes them: event rows, then the incident and
 * its `opened` / `event` log rows through @streetwise/incidents' writeRuleChanges (so the log's
 * {eventId, eventTs} link the events as in production).
 */
import type { Database } from '@streetwise/db';
import { INGEST_ACTOR, writeRuleChanges, type IncidentView } from '@streetwise/incidents';
import { newMessageId, SEVERITIES, type Severity } from '@streetwise/protocol';

export interface FixtureEvent {
  atMs: number;
  severity: Severity;
  hasSnapshot?: boolean;
}

/** One incident of `type` on `deviceId` raised by `events` (the first opens it); returns it as written. */
export async function raiseIncident(db: Database, deviceId: string, type: string, events: readonly FixtureEvent[]): Promise<IncidentView> {
  const ids = events.map(() => newMessageId());
  const iso = (ms: number): string => new Date(ms).toISOString();
  for (const [n, e] of events.entries()) {
    await db.query(
      `INSERT INTO events (time, id, device_id, type, severity, class, confidence, lat, lon, rule, has_snapshot)
       VALUES ($1, $2, $3, $4, $5, 'car', 0.9, 22.28, 114.17, 'junction-a', $6)`,
      [iso(e.atMs), ids[n], deviceId, type, e.severity, e.hasSnapshot === true],
    );
  }
  const id = newMessageId();
  const first = events[0]!;
  const last = events[events.length - 1]!;
  const severity = events.map((e) => e.severity).reduce((a, b) => (severityOrder(b) > severityOrder(a) ? b : a));
  const details = (n: number) => ({ eventId: ids[n]!, eventTs: iso(events[n]!.atMs), severity: events[n]!.severity });
  const messages = await db.transaction((tx) =>
    writeRuleChanges(tx, {
      opened: [{
        id, type, severity, deviceId, district: 'B', lat: 22.28, lon: 114.17, firstEventId: ids[0]!, lastEventId: ids[ids.length - 1]!,
        eventCount: events.length, openedAtMs: first.atMs, lastEventAtMs: last.atMs,
      }],
      touched: [],
      log: events.map((_, n) => ({ incidentId: id, action: n === 0 ? ('opened' as const) : ('event' as const), details: details(n) })),
      changes: [{ incidentId: id, action: 'opened' }],
    }, INGEST_ACTOR, true),
  );
  return messages[0]!.incident;
}

const severityOrder = (s: Severity): number => SEVERITIES.indexOf(s);
