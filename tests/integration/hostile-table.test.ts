import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { MqttClient } from 'mqtt';
import { Registry } from 'prom-client';
import { NOTIFY_CHANNELS, notify, type EmbeddedDatabase } from '@streetwise/db';
import { build, createToken, listen, revokeToken } from '@streetwise/console';
import { createIngest, type Ingest } from '@streetwise/ingest';
import { newMessageId } from '@streetwise/protocol';
import { waitFor } from '@streetwise/testing';
import { TEST_SCRYPT_COST, addUser, bearerFor, signIn } from '../src/console-auth.js';
import { aedesBroker, type BrokerUnderTest } from '../src/ingest/brokers.js';
import { connectPublisher, count, embeddedDb, publishAll, testLogger } from '../src/ingest/fixtures.js';
import { mqttLoginCases, tryConnect } from '../src/hostile/mqtt-login-cases.js';
import { birth, event, publication } from '../src/ingest/messages.js';
import { runId } from '../src/ingest/wait.js';
import { parameterCases, requestCases, type HttpCase, type OpenApiDocument } from '../src/hostile/http-cases.js';
import { mqttCases, type MqttCase } from '../src/hostile/mqtt-cases.js';
import { HOSTILE_SOCKET_MESSAGES, handshake, openSocket, socketCases } from '../src/hostile/socket-cases.js';

/**
 * The hostile case table, end to end: MQTT payloads and topics through the embedded broker into the real
 * ingest, HTTP requests into the console (app.inject), socket.io handshakes against a listening console. Every
 * case must get its clear refusal (a dead letter with its reason code, or a status with its error code) or be
 * stored exactly as sent; a good message after each bad one is stored; the process still answers; no row is
 * lost or added. Prints the cases by category; at least 200 in all.
 */
const tally = new Map<string, number>();
const counted = (category: string): void => void tally.set(category, (tally.get(category) ?? 0) + 1);
const LATER_MS = 13 * 3_600_000; // past every session's 12-hour lifetime
const urls = new Map<FastifyInstance, string>();
/** The app's URL, listening on an ephemeral port from its first use. */
async function urlOf(app: FastifyInstance): Promise<string> {
  if (!urls.has(app)) urls.set(app, (await listen(app, 0)).url);
  return urls.get(app)!;
}

describe('hostile case table', () => {
  let db: EmbeddedDatabase;
  let broker: BrokerUnderTest;
  let ingest: Ingest;
  let app: FastifyInstance;
  let later: FastifyInstance;
  const clients = new Map<string, MqttClient>();
  const run = runId('t');
  const [device, other, unknown, gateway] = [`cam-${run}`, `oth-${run}`, `unk-${run}`, `gw-${run}`];

  beforeAll(async () => {
    db = await embeddedDb();
    broker = await aedesBroker(); // no credential hooks: ingest itself judges who publishes (publisher-check)
    ingest = createIngest({ db, transport: broker.transport(run), prefix: run, unknownDeviceGraceMs: 300, logger: testLogger(), registry: new Registry() });
    await ingest.start();
    for (const id of [device, other, gateway]) clients.set(id, await connectPublisher(broker.url, id));
    await publishAll(clients.get(gateway)!, [publication(run, device, 'status', birth(device)), publication(run, other, 'status', birth(other))], true);
    await waitFor(async () => (await count(db, 'select count(*) n from devices where id in ($1, $2)', [device, other])) === 2, { timeoutMs: 30_000, what: 'devices registered' });
    const accounts = { scryptCost: TEST_SCRYPT_COST, loginRateLimit: 100_000 };
    const analytics = { rateLimit: false as const, openDataRateLimit: { max: 100_000, timeWindowMs: 60_000 } };
    app = await build({ db, analytics, accounts });
    later = await build({ db, analytics, accounts: { ...accounts, now: () => new Date(Date.now() + LATER_MS) } });
  });
  afterAll(async () => {
    for (const client of clients.values()) await client.endAsync(true);
    await ingest?.stop({ endSessions: true });
    await app?.close();
    await later?.close();
    await broker?.close();
    await db?.close();
    const total = [...tally.values()].reduce((a, b) => a + b, 0);
    const width = Math.max(...[...tally.keys()].map((k) => k.length));
    console.log(['hostile cases by category:', ...[...tally].map(([k, n]) => `  ${k.padEnd(width)}  ${String(n).padStart(4)}`), `  ${'total'.padEnd(width)}  ${String(total).padStart(4)}`].join('\n'));
  });

  it('MQTT: every bad payload and topic is dead-lettered with its reason, text is stored as sent, replays are one row, and nothing else is lost', async () => {
    const cases = mqttCases({ prefix: run, device, other, unknown, gateway });
    const goodIds: string[] = [];
    const good = async (): Promise<void> => {
      const m = event(device);
      goodIds.push(m.id);
      await publishAll(clients.get(device)!, [publication(run, device, 'event', m)]);
    };
    const sends: Array<Promise<void>> = [];
    for (const c of cases) {
      // Not awaited one by one: bad and good messages travel together in batches.
      sends.push(publishAll(clients.get(c.clientId)!, [c]), good());
    }
    await Promise.all(sends);
    const dead = cases.filter((c): c is MqttCase & { expect: { dead: string } } => 'dead' in c.expect);
    const rows = await waitFor(async () => {
      const r = (await db.query<{ topic: string; payload: Buffer; reason_code: string; reason: string }>('select topic, payload, reason_code, reason from dead_letters where topic like $1', [`${run}/%`])).rows;
      return r.length >= dead.length ? r : undefined;
    }, { timeoutMs: 60_000, what: `${dead.length} dead letters` });
    await waitFor(async () => (await count(db, 'select count(*) n from events where id = any($1::uuid[])', [goodIds])) === goodIds.length, { timeoutMs: 30_000, what: 'the good messages' });

    const byKey = new Map(rows.map((r) => [`${r.topic} ${r.payload.toString('hex')}`, r]));
    const failures: string[] = [];
    for (const c of cases) {
      counted(c.category);
      if ('dead' in c.expect) {
        const row = byKey.get(`${c.topic} ${c.payload.toString('hex')}`);
        if (row?.reason_code !== c.expect.dead || row.reason.length < 10) failures.push(`${c.label}: wanted dead letter ${c.expect.dead}, got ${row ? `${row.reason_code} (${row.reason})` : 'none'}`);
      } else if ('stored' in c.expect) {
        const { sql, params, value } = c.expect.stored;
        const got = await waitFor(async () => (await db.query<{ v: unknown }>(sql, params)).rows[0], { timeoutMs: 10_000, what: c.label }).catch(() => undefined);
        if (got?.v !== value) failures.push(`${c.label}: wanted ${JSON.stringify(value)} stored, got ${JSON.stringify(got?.v)}`);
      } else {
        const { table, id } = c.expect.replay;
        await waitFor(async () => (await count(db, `select count(*) n from ${table} where id = $1`, [id])) === 1, { timeoutMs: 10_000, what: c.label }).catch(() => failures.push(`${c.label}: first copy not stored`));
      }
    }
    expect(rows.length, 'no dead letter beyond the cases').toBe(dead.length);

    // Replays again, after the first copies are stored, with good messages around them.
    const replays = cases.filter((c): c is MqttCase & { expect: { replay: { table: string; id: string; again: Buffer[] } } } => 'replay' in c.expect);
    await Promise.all(replays.flatMap((c) => [...c.expect.replay.again.map((payload) => publishAll(clients.get(c.clientId)!, [{ topic: c.topic, payload }])), good()]));
    await waitFor(async () => (await count(db, 'select count(*) n from events where id = any($1::uuid[])', [goodIds])) === goodIds.length, { timeoutMs: 30_000, what: 'the good messages after the replays' });
    for (const c of replays) {
      const n = await count(db, `select count(*) n from ${c.expect.replay.table} where id = $1`, [c.expect.replay.id]);
      if (n !== 1) failures.push(`${c.label}: ${n} rows`);
    }
    const first = replays.find((c) => c.label.includes('other content'))!;
    expect((await db.query<{ rule: string; severity: string }>('select rule, severity from events where id = $1', [first.expect.replay.id])).rows[0], 'the first copy is the one kept').toMatchObject({ rule: 'first', severity: 'info' });
    expect(failures).toEqual([]);

    // Nothing lost, nothing added: every event row of the device is a good message or a case that is stored once.
    const eventCases = cases.filter((c) => ('stored' in c.expect && c.expect.stored.sql.includes('from events')) || ('replay' in c.expect && c.expect.replay.table === 'events'));
    expect(await count(db, 'select count(*) n from events where device_id = $1', [device])).toBe(goodIds.length + eventCases.length);
    expect(await count(db, 'select count(*) n from dead_letters where topic like $1', [`${run}/%`])).toBe(dead.length);
    expect(await count(db, 'select count(*) n from events where device_id = $1', [other])).toBe(0);
    expect(ingest.health().ingest).toMatchObject({ status: 'up', state: 'running' });
  });

  it('HTTP: every hostile parameter, body, cookie and token gets its status and error code, and the console stays whole', async () => {
    const admin = await bearerFor(db, 'hostile-admin', 'admin');
    await addUser(db, 'hostile-gone', 'viewer');
    const { token, secret } = await createToken(db, 'hostile-gone', 'viewer', 'to revoke', new Date());
    await revokeToken(db, token.id, new Date());
    const session = await signIn(app, 'hostile-admin');
    const otherSession = await signIn(app, 'hostile-admin');
    const leaving = await signIn(app, 'hostile-admin');
    const expiring = await signIn(app, 'hostile-admin');
    expect((await app.inject({ method: 'DELETE', url: '/api/v1/session', headers: leaving })).statusCode).toBe(204);
    const incidentId = newMessageId();
    await db.query(
      `INSERT INTO incidents (id, type, severity, device_id, district, lat, lon, first_event_id, last_event_id, opened_at, last_event_at)
       VALUES ($1, 'collision', 'critical', $2, 'A', 22.28, 114.16, $1, $1, now(), now())`, [incidentId, device]);
    const acted = await app.inject({ method: 'POST', url: `/api/v1/incidents/${incidentId}/acknowledge`, headers: { ...admin, 'content-type': 'application/json' }, payload: '{"version":1}' });
    expect(acted.statusCode).toBe(200);

    const doc = (await app.inject('/docs/json')).json<OpenApiDocument>();
    const cases: HttpCase[] = [
      ...parameterCases(doc, admin),
      ...requestCases({ admin, revoked: { authorization: `Bearer ${secret}` }, session, otherSession, signedOutCookie: leaving.cookie, expiringCookie: expiring.cookie, incident: { id: incidentId, staleVersion: 1 } }),
    ];
    expect(cases.filter((c) => c.category.startsWith('http: SQL injection')).length).toBeGreaterThanOrEqual(100);
    const before = await Promise.all(['devices', 'users', 'api_tokens', 'events', 'incidents'].map((t) => count(db, `select count(*) n from ${t}`)));
    const failures: string[] = [];
    for (const c of cases) {
      counted(c.category);
      const res = await (c.app === 'later' ? later : app).inject(c.request);
      const body = res.headers['content-type']?.toString().includes('json') ? res.json<{ statusCode?: number; code?: string; parameter?: string; message?: string }>() : undefined;
      const wrong: string[] = [];
      if (!c.status.includes(res.statusCode)) wrong.push(`status ${res.statusCode}, wanted ${c.status.join('/')}`);
      if (res.statusCode >= 400) {
        const codeOk = c.code === undefined || (typeof c.code === 'string' ? body?.code === c.code : c.code.test(body?.code ?? ''));
        if (!codeOk || body?.statusCode !== res.statusCode || typeof body.message !== 'string') wrong.push(`body ${res.body.slice(0, 200)}`);
        const named = body?.parameter ?? '';
        if (res.statusCode === 400 && c.parameter !== undefined && body?.code === 'SW_API_BAD_PARAMETER' && named !== c.parameter && !(c.required ?? []).includes(named)) wrong.push(`names parameter ${named}, not ${c.parameter}`);
      }
      if (wrong.length > 0) failures.push(`${c.label}: ${wrong.join('; ')}`);
    }
    expect(failures).toEqual([]);
    // Alive, and nothing written by the attempts: the same rows, the admin's token still works.
    expect((await app.inject('/api/health')).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/v1/devices', headers: admin })).json()).toMatchObject({ total: before[0] });
    expect(await Promise.all(['devices', 'users', 'api_tokens', 'events', 'incidents'].map((t) => count(db, `select count(*) n from ${t}`)))).toEqual(before);
    // The CSRF cases refused a session that is fine with its token.
    const made = await app.inject({ method: 'POST', url: '/api/v1/session/tokens', headers: { ...session, 'content-type': 'application/json' }, payload: '{"label":"after the attacks"}' });
    expect(made.statusCode).toBe(201);
  });

  it('socket.io: every handshake with a bad cookie or token is refused with its code; a good one still connects', async () => {
    await addUser(db, 'hostile-socket', 'viewer');
    const { token, secret } = await createToken(db, 'hostile-socket', 'viewer', 'to revoke', new Date());
    await revokeToken(db, token.id, new Date());
    const good = await createToken(db, 'hostile-socket', 'viewer', 'live feed', new Date());
    const session = await signIn(app, 'hostile-socket');
    const expiring = await signIn(app, 'hostile-socket');
    const now = { url: await urlOf(app) };
    const afterwards = { url: await urlOf(later) };
    const failures: string[] = [];
    for (const c of socketCases({ revokedToken: secret, sessionCookie: expiring.cookie })) {
      counted(c.category);
      const answer = await handshake(c.server === 'later' ? afterwards.url : now.url, c.options);
      if (answer !== 'SW_CONSOLE_UNAUTHENTICATED') failures.push(`${c.label}: ${answer}`);
    }
    expect(failures).toEqual([]);
    expect(await handshake(now.url, { auth: { token: good.secret } })).toBe('connected');
    expect(await handshake(now.url, { extraHeaders: { cookie: session.cookie } })).toBe('connected');
  });

  it('socket.io: messages from a signed-in client are never relayed, an oversize one cuts only its sender, and the feed goes on', async () => {
    const viewer = await createToken(db, 'hostile-socket', 'viewer', 'messages', new Date());
    const url = await urlOf(app);
    const watcher = await openSocket(url, { auth: { token: viewer.secret } });
    const seen: unknown[] = [];
    watcher.on('device', (body: unknown) => seen.push(body));
    try {
      for (const message of HOSTILE_SOCKET_MESSAGES) {
        counted('socket.io: hostile messages from a signed-in client');
        const sender = await openSocket(url, { auth: { token: viewer.secret } });
        const closed = new Promise<string>((resolve) => sender.once('disconnect', (reason) => resolve(reason)));
        message.send(sender);
        // A real notification after the hostile message: the watcher gets it, and nothing the sender sent before it.
        const marker = { id: `marker-${seen.length}`, after: message.label };
        await notify(db, NOTIFY_CHANNELS.devices, marker);
        await waitFor(() => seen.some((body) => (body as { id?: string }).id === marker.id), { timeoutMs: 10_000, what: `the notification after ${message.label}` });
        expect(seen.filter((body) => !String((body as { id?: unknown }).id).startsWith('marker-')), message.label).toEqual([]);
        if (message.cutsSender) expect(await closed).toMatch(/transport (close|error)/);
        else expect(sender.connected, message.label).toBe(true);
        sender.disconnect();
      }
      expect(watcher.connected).toBe(true);
      expect((await app.inject('/api/health')).statusCode).toBe(200);
    } finally {
      watcher.disconnect();
    }
  });

  it('MQTT logins: bad user names, tokens and client ids are refused with the right CONNACK code; a good login still works', async () => {
    const secured = await aedesBroker(db); // identity's hooks: every login checked against the credential registry
    try {
      const id = `sec-${run}`;
      const good = await secured.login(id);
      const failures: string[] = [];
      for (const c of mqttLoginCases({ id, token: String(good.password), other: `oth2-${run}` })) {
        counted(c.category);
        const answer = await tryConnect(secured.url, c.clientId, c.username, c.password);
        if (answer !== c.expect) failures.push(`${c.label}: ${answer}, wanted ${c.expect}`);
      }
      expect(failures).toEqual([]);
      expect(await tryConnect(secured.url, id, id, String(good.password))).toBe('connected');
    } finally {
      await secured.close();
    }
  });

  it('counts at least 200 hostile cases', () => {
    const total = [...tally.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(200);
    expect(tally.size).toBeGreaterThanOrEqual(12);
  });
});
