import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIngest, type Ingest } from '@streetwise/ingest';
import { INGEST_RULES_LOCK_SQL, type IncidentMessage } from '@streetwise/incidents';
import { newMessageId } from '@streetwise/protocol';
import { waitFor } from '@streetwise/testing';
import { startPrivateMosquitto, type PrivateMosquitto } from '../src/ingest/brokers.js';
import { count, testLogger } from '../src/ingest/fixtures.js';
import { HK, event } from '../src/ingest/messages.js';
import { createPlainPostgresDatabase, type PlainPostgresDatabase } from '../src/ingest/plain-postgres.js';
import { runId } from '../src/ingest/wait.js';

/**
 * The incident queue across a crash: a batch statement stores a safety event and queues it for the rules
 * in one statement, and the rules step decides it later, in its own transaction. An ingest that died in
 * between leaves the event stored and queued but in no incident; the next ingest to start takes the queue
 * and decides it (and says so on its bus and with NOTIFY sw_incidents), so an acked safety event is never
 * without its incident. And a step waits for the rules' lock before it reads anything: what another worker
 * decided meanwhile is what it builds on.
 */
describe('safety events an ingest queued and did not decide', () => {
  let pg: PlainPostgresDatabase;
  let mosquitto: PrivateMosquitto;
  let ingest: Ingest | undefined;
  const startIngest = async (run: string): Promise<Ingest> => {
    await ingest?.stop({ endSessions: true });
    ingest = createIngest({
      db: pg.db,
      transport: { kind: 'mqtt', url: `mqtt://127.0.0.1:${mosquitto.port}`, connections: 1, group: `g${run}`, clientIdPrefix: `i${run}`, sessionExpirySeconds: 60 },
      prefix: run,
      logger: testLogger(),
    });
    return ingest;
  };
  /** What a batch statement left: the event stored and queued. */
  const storedAndQueued = async (device: string, e: ReturnType<typeof event>): Promise<void> => {
    await pg.db.query(`insert into events (time, id, device_id, type, severity, lat, lon) values ($1, $2, $3, $4, $5, $6, $7)`, [e.ts, e.id, device, e.type, e.severity, HK.lat, HK.lon]);
    await pg.db.query(`insert into incident_queue (event_id, device_id, type, severity, ts, lat, lon, district) values ($1, $2, $3, $4, $5, $6, $7, 'A')`, [e.id, device, e.type, e.severity, e.ts, HK.lat, HK.lon]);
  };

  beforeAll(async () => {
    [pg, mosquitto] = await Promise.all([createPlainPostgresDatabase('incident_queue'), startPrivateMosquitto()]);
  });
  afterAll(async () => {
    await ingest?.stop({ endSessions: true });
    await mosquitto?.stop();
    await pg?.drop();
  });

  it('become an incident when the next ingest starts', async () => {
    const run = runId('q');
    const device = `cam-${run}`;
    await pg.db.query(`insert into devices (id, kind, lat, lon, district) values ($1, 'camera', $2, $3, 'A')`, [device, HK.lat, HK.lon]);
    // What a batch statement left behind when its ingest was SIGKILLed right after the commit: two intrusions, stored and queued.
    const now = Date.now();
    const events = [event(device, { type: 'intrusion', severity: 'high' }, now - 60_000), event(device, { type: 'intrusion', severity: 'critical' }, now - 30_000)];
    for (const e of events) await storedAndQueued(device, e);
    const notified: string[] = [];
    const unlisten = await pg.db.listen('sw_incidents', (payload) => notified.push(payload));
    try {
      const started = await startIngest(run);
      const told: IncidentMessage[] = [];
      started.bus.on('incidents', (list) => told.push(...list));
      await started.start();

      const incident = await waitFor(async () => (await pg.db.query<{ id: string; event_count: number; severity: string; district: string; first_event_id: string; last_event_id: string }>(
        'select id, event_count, severity, district, first_event_id, last_event_id from incidents where device_id = $1', [device])).rows[0], { timeoutMs: 30_000, what: 'the incident' });
      expect(incident).toMatchObject({ event_count: 2, severity: 'critical', district: 'A', first_event_id: events[0]!.id, last_event_id: events[1]!.id });
      expect(await count(pg.db, 'select count(*) n from incident_queue where device_id = $1', [device])).toBe(0);
      expect(told.map((m) => `${m.action}:${m.incident.id}`)).toEqual([`opened:${incident.id}`]);
      await waitFor(() => notified.length === 1, { timeoutMs: 10_000, what: 'NOTIFY sw_incidents' });
      expect(JSON.parse(notified[0]!)).toMatchObject({ action: 'opened', actor: { kind: 'system', id: 'ingest' }, incident: { id: incident.id, eventCount: 2 } });
      // The log has both events, as if they had been decided when they arrived.
      const log = await pg.db.query<{ action: string }>('select action from incident_log where incident_id = $1 order by id', [incident.id]);
      expect(log.rows.map((r) => r.action)).toEqual(['opened', 'escalated', 'event']);
    } finally {
      await unlisten();
    }
  });

  it('waits for the rules\' lock, then joins the incident another worker opened meanwhile', async () => {
    const run = runId('l');
    const device = `cam-${run}`;
    await pg.db.query(`insert into devices (id, kind, lat, lon, district) values ($1, 'camera', $2, $3, 'A')`, [device, HK.lat, HK.lon]);
    const now = Date.now();
    const mine = event(device, { type: 'intrusion', severity: 'high' }, now - 10_000);
    await storedAndQueued(device, mine);
    // Another worker holds the lock while it decides an earlier intrusion of the same device.
    let locked!: () => void;
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const theirs = { incident: newMessageId(), event: newMessageId() };
    const other = pg.db.transaction(async (tx) => {
      locked();
      await gate;
      await tx.query(
        `insert into incidents (id, type, severity, device_id, district, lat, lon, first_event_id, last_event_id, event_count, opened_at, last_event_at)
         values ($1, 'intrusion', 'high', $2, 'A', $3, $4, $5, $5, 1, $6, $6)`,
        [theirs.incident, device, HK.lat, HK.lon, theirs.event, new Date(now - 20_000).toISOString()],
      );
    }, { atBegin: INGEST_RULES_LOCK_SQL });
    await lockTaken;

    await (await startIngest(run)).start(); // its first step starts at once, and waits for the lock
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await count(pg.db, 'select count(*) n from incident_queue where event_id = $1', [mine.id])).toBe(1);
    release();
    await other;
    await waitFor(async () => (await count(pg.db, 'select count(*) n from incident_queue where event_id = $1', [mine.id])) === 0 || undefined, { timeoutMs: 30_000, what: 'the queued event taken' });
    // One incident, theirs, now with both events: a step that read before the lock would have opened a second.
    const rows = (await pg.db.query<{ id: string; event_count: number; last_event_id: string }>('select id, event_count, last_event_id from incidents where device_id = $1', [device])).rows;
    expect(rows).toEqual([{ id: theirs.incident, event_count: 2, last_event_id: mine.id }]);
  });
});
