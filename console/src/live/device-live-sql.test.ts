import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedDatabase, migrate, type Database } from '@streetwise/db';
import { newMessageId } from '@streetwise/protocol';
import { DEVICE_LIVE_SQL, type DeviceLiveRow } from './device-live-sql.js';

/** Health rows, oldest first: [seconds ago, fields]. */
type Health = Array<[number, { fps?: number; fps_target?: number; outbox_depth?: number; inference_errors?: number }]>;

describe('a device\'s live state, computed in SQL when read', () => {
  let db: Database;

  async function device(id: string, o: { state?: 'online' | 'offline'; intervalS?: number | null; seenAgoS?: number; health?: Health }): Promise<void> {
    await db.query(
      `insert into devices (id, kind, lat, lon, state, health_interval_s, last_seen_at) values ($1, 'camera', 22.3, 114.2, $2, $3, now() - make_interval(secs => $4))`,
      [id, o.state ?? 'online', o.intervalS === undefined ? 30 : o.intervalS, o.seenAgoS ?? 0],
    );
    for (const [agoS, h] of o.health ?? []) {
      await db.query(
        `insert into health (time, received_at, id, device_id, uptime_s, fps, fps_target, outbox_depth, inference_errors)
         values (now() - make_interval(secs => $1), now() - make_interval(secs => $1), $2, $3, 100, $4, $5, $6, $7)`,
        [agoS, newMessageId(), id, h.fps ?? null, h.fps_target ?? null, h.outbox_depth ?? 0, h.inference_errors ?? null],
      );
    }
  }

  beforeAll(async () => {
    db = await createEmbeddedDatabase({ dataDir: 'memory://' });
    await migrate(db);
    await device('well', { health: [[40, { fps: 5, fps_target: 5 }], [10, { fps: 5, fps_target: 5 }]] });
    await device('fps-low', { health: [[10, { fps: 3.9, fps_target: 5 }]] });
    await device('fps-just-enough', { health: [[10, { fps: 4, fps_target: 5 }]] });
    await device('fps-no-target', { health: [[10, { fps: 0.5 }]] });
    await device('outbox-growing', { health: [[70, { outbox_depth: 1 }], [40, { outbox_depth: 3 }], [10, { outbox_depth: 7 }]] });
    await device('outbox-stalled', { health: [[70, { outbox_depth: 5 }], [40, { outbox_depth: 7 }], [10, { outbox_depth: 7 }]] });
    await device('outbox-two-only', { health: [[40, { outbox_depth: 3 }], [10, { outbox_depth: 7 }]] });
    await device('errors-rose', { health: [[40, { inference_errors: 0 }], [10, { inference_errors: 2 }]] });
    await device('errors-old', { health: [[40, { inference_errors: 2 }], [10, { inference_errors: 2 }]] });
    // Interval 30 s: silent after 60 s without a word.
    await device('silent', { seenAgoS: 61, health: [[61, { fps: 5, fps_target: 5 }]] });
    await device('quiet-not-silent', { seenAgoS: 50, health: [[50, { fps: 5, fps_target: 5 }]] });
    await device('heard-by-telemetry', { seenAgoS: 5, health: [[90, {}]] });
    // No interval in its birth: its last two health messages were 10 s apart, so silent after 20 s.
    await device('older-silent', { intervalS: null, seenAgoS: 25, health: [[35, {}], [25, {}]] });
    await device('older-never-silent', { intervalS: null, seenAgoS: 600 });
    await device('sends-no-health', { intervalS: 0, seenAgoS: 600 });
    await device('offline', { state: 'offline', seenAgoS: 600, health: [[600, { fps: 1, fps_target: 5 }]] });
    await db.query(
      `insert into incidents (id, type, severity, status, device_id, lat, lon, first_event_id, last_event_id, opened_at, last_event_at) values
       ($1, 'intrusion', 'high', 'open', 'well', 22.3, 114.2, $1, $1, now(), now()),
       ($2, 'loitering', 'low', 'acknowledged', 'well', 22.3, 114.2, $2, $2, now(), now()),
       ($3, 'collision', 'critical', 'resolved', 'well', 22.3, 114.2, $3, $3, now(), now())`,
      [newMessageId(), newMessageId(), newMessageId()],
    );
  });
  afterAll(async () => {
    await db?.close();
  });

  it('says online, degraded with its reason, or offline, for each case', async () => {
    const { rows } = await db.query<DeviceLiveRow>(`select * from (${DEVICE_LIVE_SQL}) dl order by id`);
    const states = Object.fromEntries(rows.map((r) => [r.id, r.state_reason ? `${r.state}:${r.state_reason}` : r.state]));
    expect(states).toEqual({
      well: 'online',
      'fps-low': 'degraded:fps_low',
      'fps-just-enough': 'online',
      'fps-no-target': 'online',
      'outbox-growing': 'degraded:outbox_growing',
      'outbox-stalled': 'online',
      'outbox-two-only': 'online',
      'errors-rose': 'degraded:inference_errors',
      'errors-old': 'online',
      silent: 'degraded:silent',
      'quiet-not-silent': 'online',
      'heard-by-telemetry': 'online',
      'older-silent': 'degraded:silent',
      'older-never-silent': 'online',
      'sends-no-health': 'online',
      offline: 'offline',
    });
  });

  it('gives when a device turns silent, and the worst severity of its incidents that are not resolved', async () => {
    const { rows } = await db.query<DeviceLiveRow & { due_s: number | null }>(
      `select *, round(extract(epoch from silent_at - now()))::int as due_s from (${DEVICE_LIVE_SQL}) dl where id = any($1) order by id`,
      [['well', 'quiet-not-silent', 'sends-no-health', 'offline']],
    );
    expect(rows.map((r) => [r.id, r.due_s, r.open_severity])).toEqual([
      ['offline', -540, null],
      ['quiet-not-silent', 10, null],
      ['sends-no-health', null, null],
      ['well', 60, 'high'],
    ]);
  });
});
