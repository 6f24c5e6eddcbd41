import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { createEmbeddedDatabase, migrate, NOTIFY_CHANNELS, type Database } from '@streetwise/db';
import { build, listen } from '@streetwise/console';
import type { IncidentView } from '@streetwise/incidents';
import { newMessageId } from '@streetwise/protocol';
import { waitFor } from '@streetwise/testing';
import { addUser, signIn, TEST_SCRYPT_COST, type SessionHeaders } from '../src/console-auth.js';
import { devicesIn, type DevicesDiffV2 as Diff, type WholeFeature as Feature } from '../src/devices-diff.js';

/**
 * The console's live feed against the embedded database: devices:diff over a real socket.io connection
 * signed in with a session cookie, GET /devices/geojson, PATCH /devices/:id, and the catch-up of
 * incidents after a disconnect.
 */
describe('console live feed', () => {
  let db: Database;
  let app: FastifyInstance;
  let admin: SessionHeaders;
  let viewer: SessionHeaders;
  let socket: Socket;
  const diffs: Diff[] = [];

  const devices = Array.from({ length: 12 }, (_, i) => `cam-${String(i).padStart(2, '0')}`);

  beforeAll(async () => {
    db = await createEmbeddedDatabase({ dataDir: 'memory://' });
    await migrate(db);
    await db.query(
      `insert into devices (id, kind, name, district, lat, lon, state, health_interval_s)
       select id, 'camera', 'Camera ' || id, 'B', 22.28, 114.17, 'online', 30 from unnest($1::text[]) as id`,
      [devices],
    );
    await db.query(`insert into devices (id, kind, lat, lon, state, health_interval_s) values ('quick', 'noise', 22.3, 114.2, 'online', 30)`);
    app = await build({ db, accounts: { scryptCost: TEST_SCRYPT_COST }, analytics: false, deviceDiff: { intervalMs: 1000, gatherMs: 1000, silentCheckMs: 100 } });
    await addUser(db, 'admin-1', 'admin');
    await addUser(db, 'viewer-1', 'viewer');
    admin = await signIn(app, 'admin-1');
    viewer = await signIn(app, 'viewer-1');
    const { url } = await listen(app, 0);
    socket = connectSocket(url, { transports: ['websocket'], extraHeaders: { cookie: viewer.cookie } });
    socket.on('devices:diff', (diff: Diff) => diffs.push(diff));
    await waitFor(() => (socket.connected ? true : undefined), { timeoutMs: 10_000, what: 'socket connected with the session cookie' });
  });
  afterAll(async () => {
    socket?.close();
    await app?.close();
    await db?.close();
  });

  const nextDiff = async (what: string): Promise<Diff> => {
    const seen = diffs.length;
    return waitFor(() => diffs[seen], { timeoutMs: 10_000, what });
  };

  it('turns a device that falls silent degraded, with no notification of it', async () => {
    // Its birth now says health every second; last heard half a second ago: silent in 1.5 s.
    const told = nextDiff('quick falls silent');
    const t0 = Date.now();
    await db.query(
      `with u as (update devices set health_interval_s = 1, last_seen_at = now() - interval '0.5 second' where id = 'quick' returning id) select pg_notify($1, $2) from u`,
      [NOTIFY_CHANNELS.health, JSON.stringify({ v: 1, devices: ['quick'] })],
    );
    // The notification's own diff would show nothing new (and an empty diff is not sent): the one that
    // comes is the feed's own look at its silent_at, at least 1.5 s later.
    const diff = await told;
    // Known to the browsers already: only its live properties, as codes.
    expect(diff.upsert).toEqual([]);
    expect(diff.live).toEqual({ ids: ['quick'], state: [1], stateReason: [4], severity: [0] });
    expect(devicesIn(diff).map((d) => [d.id, d.properties.state, d.properties.stateReason])).toEqual([['quick', 'degraded', 'silent']]);
    expect(Date.parse(diff.at) - t0).toBeGreaterThanOrEqual(1400);
  });

  it('coalesces many notifications into one diff that carries only the devices that changed', async () => {
    const waiting = nextDiff('the diff of the burst');
    // 30 notifications in 3 transactions, one after another: 12 devices named, 3 of them changed.
    await db.transaction(async (tx) => {
      await tx.query(`update devices set state = 'offline' where id = any($1)`, [['cam-01', 'cam-02']]);
      for (const id of devices) await tx.query(`select pg_notify($1, $2)`, [NOTIFY_CHANNELS.devices, JSON.stringify({ v: 1, devices: [{ id, state: 'online', registered: false }] })]);
    });
    await db.transaction(async (tx) => {
      await tx.query(
        `insert into incidents (id, type, severity, device_id, lat, lon, first_event_id, last_event_id, opened_at, last_event_at) values ($1, 'collision', 'critical', 'cam-03', 22.28, 114.17, $1, $1, now(), now())`,
        [newMessageId()],
      );
      for (const id of devices) await tx.query(`select pg_notify($1, $2)`, [NOTIFY_CHANNELS.health, JSON.stringify({ v: 1, devices: [id] })]);
    });
    await db.transaction(async (tx) => {
      for (const id of devices.slice(0, 6)) await tx.query(`select pg_notify($1, $2)`, [NOTIFY_CHANNELS.health, JSON.stringify({ v: 1, devices: [id] })]);
    });
    const diff = await waiting;
    expect(diff).toMatchObject({ v: 2, upsert: [], remove: [], codes: { state: ['online', 'degraded', 'offline'] } });
    expect(devicesIn(diff).map((d) => [d.id, d.properties.state, d.properties.severity]).sort()).toEqual([
      ['cam-01', 'offline', null],
      ['cam-02', 'offline', null],
      ['cam-03', 'online', 'critical'],
    ]);
    // No second diff came out of that burst: the next one carries only the next change.
    const following = nextDiff('the diff after the burst');
    await db.query(`with u as (update devices set state = 'offline' where id = 'cam-04' returning id) select pg_notify($1, $2) from u`, [NOTIFY_CHANNELS.health, JSON.stringify({ v: 1, devices: ['cam-04'] })]);
    expect((await following).live.ids).toEqual(['cam-04']);
    expect(diffs.filter((d) => devicesIn(d).some((f) => f.id === 'cam-01'))).toHaveLength(1);
  });

  it('serves the same features as GeoJSON, and lets an admin mark a key site (which the feed sends)', async () => {
    const geo = await app.inject({ url: '/api/v1/devices/geojson', headers: viewer });
    expect(geo.statusCode).toBe(200);
    const collection = geo.json<{ type: string; features: Array<Feature & { geometry: { coordinates: number[] } }> }>();
    expect(collection.type).toBe('FeatureCollection');
    expect(collection.features).toHaveLength(13);
    expect(collection.features.find((f) => f.id === 'cam-03')).toMatchObject({ geometry: { type: 'Point', coordinates: [114.17, 22.28] }, properties: { state: 'online', severity: 'critical', keySite: false } });

    expect((await app.inject({ method: 'PATCH', url: '/api/v1/devices/cam-05', headers: viewer, payload: { keySite: true } })).statusCode).toBe(403);
    expect((await app.inject({ method: 'PATCH', url: '/api/v1/devices/nowhere', headers: admin, payload: { keySite: true } })).json()).toMatchObject({ statusCode: 404, code: 'SW_CONSOLE_NOT_FOUND' });
    expect((await app.inject({ method: 'PATCH', url: '/api/v1/devices/cam-05', headers: admin, payload: { keySite: 'yes' } })).statusCode).toBe(400);
    const waiting = nextDiff('the key site in the feed');
    const patched = await app.inject({ method: 'PATCH', url: '/api/v1/devices/cam-05', headers: admin, payload: { keySite: true } });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ id: 'cam-05', keySite: true, state: 'online', stateReason: null });
    // A description changed (not only the live properties): the whole feature is sent.
    const keyed = await waiting;
    expect(keyed.upsert).toMatchObject([{ id: 'cam-05', geometry: { type: 'Point', coordinates: [114.17, 22.28] }, properties: { keySite: true, name: 'Camera cam-05' } }]);
    expect(keyed.live.ids).toEqual([]);

    const listed = (await app.inject({ url: '/api/v1/devices?state=degraded', headers: viewer })).json<{ total: number; items: Array<{ id: string; stateReason: string }> }>();
    expect(listed).toMatchObject({ total: 1, items: [{ id: 'quick', stateReason: 'silent' }] });
    expect((await app.inject({ url: '/api/v1/devices?state=offline', headers: viewer })).json()).toMatchObject({ total: 3 });
    expect((await app.inject({ url: '/api/v1/devices', headers: viewer })).json()).toMatchObject({ total: 13 });
  });

  it('catches up on every incident changed during a gap, including one committed late with an earlier updated_at', async () => {
    await db.query(`delete from incidents`);
    const insert = async (agoMs: number): Promise<string> => {
      const id = newMessageId();
      await db.query(
        `insert into incidents (id, type, severity, device_id, lat, lon, first_event_id, last_event_id, opened_at, last_event_at, updated_at)
         values ($1, 'intrusion', 'high', 'cam-06', 22.28, 114.17, $1, $1, now(), now(), now() - make_interval(secs => $2 / 1000.0))`,
        [id, agoMs],
      );
      return id;
    };
    const seen = await insert(60_000); // the browser saw this one, then went away
    const before = await insert(120_000); // older than what it saw and outside the overlap: not sent again
    const { rows } = await db.query<{ updated_at: string }>(`select to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as updated_at from incidents where id = $1`, [seen]);
    const after = rows[0]!.updated_at;
    // Committed after the disconnect but stamped 3 s before what the browser saw (its transaction began earlier).
    const late = await insert(63_000);
    const during = [await insert(50_000), await insert(40_000), await insert(30_000), await insert(20_000), await insert(10_000)];

    /** Follows `next` to the end: all of it, or only after and afterId (what a client that ignores overlapS sends). */
    const follow = async (keep: (next: Record<string, string | number>) => Record<string, string | number>): Promise<IncidentView[][]> => {
      const pages: IncidentView[][] = [];
      let query: Record<string, string | number> | null = { after, afterId: seen };
      while (query && pages.length < 10) {
        const res: Awaited<ReturnType<FastifyInstance['inject']>> = await app.inject({
          url: '/api/v1/incidents/changes',
          query: Object.fromEntries(Object.entries({ ...query, limit: 2 }).map(([k, v]) => [k, String(v)])),
          headers: viewer,
        });
        expect(res.statusCode).toBe(200);
        const body: { items: IncidentView[]; next: Record<string, string | number> | null } = res.json();
        pages.push(body.items);
        query = body.next ? keep(body.next) : null;
      }
      return pages;
    };
    for (const pages of [await follow((next) => next), await follow(({ after: a, afterId: id }) => ({ after: a!, afterId: id! }))]) {
      const ids = pages.flat().map((i) => i.id);
      expect(ids).toEqual([late, seen, ...during]);
      expect(ids).not.toContain(before);
      expect(pages.map((p) => p.length)).toEqual([2, 2, 2, 1]);
    }

    // Without the overlap the late one is missed: what the window is for.
    const exact = (await app.inject({ url: `/api/v1/incidents/changes?after=${after}&afterId=${seen}&overlapS=0`, headers: viewer })).json<{ items: IncidentView[] }>();
    expect(exact.items.map((i) => i.id)).toEqual(during);
    const bad = await app.inject({ url: '/api/v1/incidents/changes?after=yesterday&afterId=x', headers: viewer });
    expect(bad.statusCode).toBe(400);
    expect((await app.inject({ url: `/api/v1/incidents/changes?after=${after}&afterId=${seen}` })).statusCode).toBe(401);
  });
});

describe('devices:diff with two console nodes joined by Redis', () => {
  let db: Database;
  let nodes: FastifyInstance[] = [];
  const sockets: Socket[] = [];

  beforeAll(async () => {
    db = await createEmbeddedDatabase({ dataDir: 'memory://' });
    await migrate(db);
    await db.query(`insert into devices (id, kind, lat, lon, state) values ('a', 'camera', 22.3, 114.2, 'online'), ('b', 'camera', 22.3, 114.2, 'online')`);
    const options = { db, redisUrl: 'redis://127.0.0.1:6379', accounts: { scryptCost: TEST_SCRYPT_COST }, analytics: false as const, deviceDiff: { intervalMs: 200, gatherMs: 50 } };
    nodes = [await build(options), await build(options)];
    await addUser(db, 'viewer-2', 'viewer');
    for (const node of nodes) {
      const { cookie } = await signIn(node, 'viewer-2');
      sockets.push(connectSocket((await listen(node, 0)).url, { transports: ['websocket'], extraHeaders: { cookie } }));
    }
    await waitFor(() => (sockets.every((s) => s.connected) ? true : undefined), { timeoutMs: 10_000, what: 'both sockets connected' });
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    for (const node of nodes) await node.close();
    await db?.close();
  });

  it('each browser gets each change once: every node computes from its own LISTEN and sends to its own sockets', async () => {
    const received: Diff[][] = sockets.map(() => []);
    sockets.forEach((s, i) => s.on('devices:diff', (diff: Diff) => received[i]!.push(diff)));
    const change = async (id: string): Promise<void> => {
      await db.query(`with u as (update devices set state = 'offline' where id = $1 returning id) select pg_notify($2, $3) from u`, [id, NOTIFY_CHANNELS.health, JSON.stringify({ v: 1, devices: [id] })]);
    };
    await change('a');
    await waitFor(() => (received.every((r) => r.length >= 1) ? true : undefined), { timeoutMs: 10_000, what: 'a diff on both' });
    await change('b');
    await waitFor(() => (received.every((r) => r.length >= 2) ? true : undefined), { timeoutMs: 10_000, what: 'the second diff on both' });
    // Had a node's diff also gone through Redis, each browser would have had a's change twice before b's.
    for (const r of received) expect(r.slice(0, 2).map((d) => devicesIn(d).map((f) => f.id))).toEqual([['a'], ['b']]);
  });
});
