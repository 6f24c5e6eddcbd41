import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { Registry } from 'prom-client';
import type { EmbeddedDatabase } from '@streetwise/db';
import { createCredentialCache, installIdentityHooks, provisionCredential, rotateCredential, setCredentialStatus, type CredentialCache } from '@streetwise/identity';
import { createIngest, type Ingest } from '@streetwise/ingest';
import { deviceTopic, encodeMessage, makeMessage } from '@streetwise/protocol';
import { startEmbeddedBroker, type EmbeddedBroker } from '@streetwise/stack';
import { capturingLogger } from '../src/identity/log-capture.js';
import { makeTlsFiles, type TlsFiles } from '../src/identity/tls-files.js';
import { count, embeddedDb, publishAll } from '../src/ingest/fixtures.js';
import { birth, event, publication } from '../src/ingest/messages.js';
import { waitFor } from '@streetwise/testing';
import { runId } from '../src/ingest/wait.js';

/**
 * Only a device speaks for itself, on the embedded broker as `npm start` runs it (identity's hooks in
 * front of ingest, TLS listener with plain MQTT refused): every refusal is refused, logged, counted in
 * streetwise_broker_auth_refused_total, and leaves no row — no event, no dead letter.
 */
const PREFIX = 'streetwise';

describe('device identity on the embedded broker', () => {
  let db: EmbeddedDatabase;
  let broker: EmbeddedBroker;
  let credentials: CredentialCache;
  let ingest: Ingest;
  let tls: TlsFiles;
  const registry = new Registry();
  const capture = capturingLogger();
  const clients: MqttClient[] = [];
  const run = runId('id');
  const id = (name: string): string => `${name}-${run}`;
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    db = await embeddedDb();
    tls = makeTlsFiles();
    credentials = await createCredentialCache(db, { logger: capture.logger });
    broker = await startEmbeddedBroker(
      0,
      async (aedes) => {
        installIdentityHooks(aedes, { credentials, registry, logger: capture.logger, prefix: PREFIX, requireTls: true });
        ingest = createIngest({ db, transport: { kind: 'aedes', aedes, brokerAuthorizes: true }, prefix: PREFIX, logger: capture.logger, registry, unknownDeviceGraceMs: 300 });
        await ingest.start();
      },
      { tls: { certFile: tls.certFile, keyFile: tls.keyFile, port: 0 }, plain: true },
    );
    for (const name of ['cam', 'other', 'revoked', 'blocked']) tokens.set(id(name), (await provisionCredential(db, { id: id(name) })).token);
    tokens.set(id('gw'), (await provisionCredential(db, { id: id('gw'), kind: 'gateway', scope: [`${id('sim')}*`, id('listed')] })).token);
    tokens.set(id('console'), (await provisionCredential(db, { id: id('console'), kind: 'downlink' })).token);
    await setCredentialStatus(db, id('revoked'), 'revoked');
    await setCredentialStatus(db, id('blocked'), 'blocked');
    for (const name of ['cam', 'other', 'revoked', 'blocked', 'gw', 'console']) await credentials.refresh(id(name));
  });
  afterAll(async () => {
    for (const client of clients) await client.endAsync(true);
    await ingest?.stop();
    await credentials?.close();
    await broker?.close();
    await db?.close();
    tls?.remove();
  });

  const secure = (): Partial<IClientOptions> => ({ ca: readFileSync(tls.caFile) });
  async function connect(clientId: string, options: Partial<IClientOptions> = {}, url = broker.tlsUrl!): Promise<MqttClient> {
    const client = mqtt.connect(url, { clientId, protocolVersion: 4, clean: true, reconnectPeriod: 0, connectTimeout: 10_000, ...secure(), ...options });
    clients.push(client);
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
    });
    return client;
  }
  const login = (name: string): Partial<IClientOptions> => ({ username: name, password: tokens.get(name)! });
  const refusedCount = async (reason: string): Promise<number> => Number(new RegExp(`streetwise_broker_auth_refused_total\\{reason="${reason}"\\} (\\d+)`).exec(await registry.metrics())?.[1] ?? -1);
  const loggedRefusal = (reason: string): boolean => capture.lines.some((l) => l.reason === reason && String(l.msg).startsWith('broker refused'));
  const rowsAbout = async (device: string): Promise<number> =>
    count(db, 'select (select count(*) from events where device_id = $1) + (select count(*) from dead_letters where topic like $2 or client_id = $1) n', [device, `%/${device}/%`]);

  async function expectConnectRefused(reason: string, clientId: string, options: Partial<IClientOptions>, url?: string): Promise<void> {
    const before = await refusedCount(reason);
    await expect(connect(clientId, options, url)).rejects.toThrow(/Connection refused|Not authorized|Bad username/i);
    expect(await refusedCount(reason)).toBe(before + 1);
    expect(loggedRefusal(reason)).toBe(true);
  }

  /** Publish once and wait for the broker to close the connection (no negative PUBACK in MQTT 3.1.1). */
  async function expectPublishRefused(reason: string, client: MqttClient, topic: string, payload: Buffer): Promise<void> {
    const before = await refusedCount(reason);
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.publish(topic, payload, { qos: 1 });
    await closed;
    expect(await refusedCount(reason)).toBe(before + 1);
    expect(loggedRefusal(reason)).toBe(true);
  }

  it('lets a device in with its own token over TLS and stores what it sends', async () => {
    const cam = id('cam');
    const client = await connect(cam, login(cam));
    await publishAll(client, [publication(PREFIX, cam, 'status', birth(cam)), publication(PREFIX, cam, 'event', event(cam))]);
    await waitFor(async () => (await count(db, 'select count(*) n from events where device_id = $1', [cam])) === 1, { timeoutMs: 30_000, what: 'birth and event stored' });
    expect(capture.text()).not.toContain(tokens.get(cam)!);
  });

  it('refuses a login with no credentials, a wrong token, an unknown name, a revoked or a blocked device, and a client id that is not the device', async () => {
    await expectConnectRefused('no_credentials', id('cam'), {});
    await expectConnectRefused('wrong_token', id('cam'), { username: id('cam'), password: 'x'.repeat(43) });
    await expectConnectRefused('unknown_credential', id('ghost'), { username: id('ghost'), password: 'x'.repeat(43) });
    await expectConnectRefused('revoked', id('revoked'), login(id('revoked')));
    await expectConnectRefused('blocked', id('blocked'), login(id('blocked')));
    await expectConnectRefused('client_id_mismatch', id('other'), login(id('cam')));
    for (const name of ['ghost', 'revoked', 'blocked']) expect(await rowsAbout(id(name))).toBe(0);
    expect(capture.text()).not.toContain(tokens.get(id('revoked'))!);
  });

  it('refuses plain MQTT where TLS is required, even with a good token', async () => {
    await expectConnectRefused('plain_refused', id('other'), login(id('other')), broker.url);
  });

  it('refuses a device writing under another device\'s id, and stores nothing of it', async () => {
    const [other, cam] = [id('other'), id('cam')];
    const client = await connect(other, login(other));
    const spoof = publication(PREFIX, cam, 'event', event(cam, { rule: 'spoofed' }));
    await expectPublishRefused('other_device', client, spoof.topic, spoof.payload);
    expect(await count(db, `select count(*) n from events where rule = 'spoofed' and device_id = $1`, [cam])).toBe(0);
    expect(await count(db, 'select count(*) n from dead_letters where client_id = $1', [other])).toBe(0);
  });

  it('lets a gateway speak for the devices of its scope only', async () => {
    const gw = id('gw');
    const inScope = `${id('sim')}-7`;
    const outside = id('elsewhere');
    const client = await connect(inScope, login(gw)); // a gateway may take a client id from its scope
    await publishAll(client, [publication(PREFIX, inScope, 'status', birth(inScope)), publication(PREFIX, id('listed'), 'status', birth(id('listed')))]);
    await waitFor(async () => (await count(db, 'select count(*) n from devices where id in ($1, $2)', [inScope, id('listed')])) === 2, { timeoutMs: 30_000, what: 'both gateway devices registered' });
    const stray = publication(PREFIX, outside, 'status', birth(outside));
    await expectPublishRefused('outside_scope', client, stray.topic, stray.payload);
    expect(await rowsAbout(outside)).toBe(0);
    expect(await count(db, 'select count(*) n from devices where id = $1', [outside])).toBe(0);
    await expectConnectRefused('client_id_mismatch', outside, login(gw));
  });

  it('lets a device subscribe to its own downlink only', async () => {
    const cam = id('cam');
    const client = await connect(cam, login(cam));
    const before = await refusedCount('subscribe_denied');
    expect((await client.subscribeAsync(deviceTopic(cam, 'config', PREFIX), { qos: 1 })).map((g) => g.qos)).toEqual([1]);
    // SUBACK 0x80 for the filter; the connection stays.
    await expect(client.subscribeAsync(deviceTopic(id('other'), 'config', PREFIX), { qos: 1 })).rejects.toThrow(/Subscribe error/);
    await expect(client.subscribeAsync(`${PREFIX}/v1/+/event`, { qos: 1 })).rejects.toThrow(/Subscribe error/);
    expect(client.connected).toBe(true);
    expect(await refusedCount('subscribe_denied')).toBe(before + 2);
    expect(loggedRefusal('subscribe_denied')).toBe(true);
  });

  it('lets the console\'s downlink credential write config topics and nothing else', async () => {
    const [console_, cam] = [id('console'), id('cam')];
    const device = await connect(`${cam}`, login(cam));
    const received: string[] = [];
    device.on('message', (topic) => received.push(topic));
    await device.subscribeAsync(deviceTopic(cam, 'config', PREFIX), { qos: 1 });
    const downlink = await connect(console_, login(console_));
    const config = encodeMessage(makeMessage('config', { configVersion: 2 }));
    await downlink.publishAsync(deviceTopic(cam, 'config', PREFIX), config, { qos: 1 });
    await waitFor(() => received.length === 1, { timeoutMs: 30_000, what: 'the device got its config' });
    const uplink = publication(PREFIX, cam, 'event', event(cam, { rule: 'from-console' }));
    await expectPublishRefused('kind_not_allowed', downlink, uplink.topic, uplink.payload);
    expect(await count(db, `select count(*) n from events where rule = 'from-console'`)).toBe(0);
  });

  it('cuts a connected device off when its credential is revoked or blocked', async () => {
    for (const [name, status] of [['late-revoked', 'revoked'], ['late-blocked', 'blocked']] as const) {
      const device = id(name);
      tokens.set(device, (await provisionCredential(db, { id: device })).token);
      const client = await connect(device, login(device));
      const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
      await setCredentialStatus(db, device, status); // the cache hears it over LISTEN
      await closed;
      expect(capture.lines.some((l) => l.username === device && String(l.msg) === `credential ${status}: disconnecting its clients`)).toBe(true);
      await expectConnectRefused(status, device, login(device));
    }
  });

  it('keeps the old token valid during a rotation\'s grace, and only the new one after', async () => {
    const other = id('other');
    const oldToken = tokens.get(other)!;
    const rotated = await rotateCredential(db, other, 60_000);
    await credentials.refresh(other);
    await connect(other, { username: other, password: oldToken });
    await connect(other, { username: other, password: rotated.token });
    const again = await rotateCredential(db, other, 0);
    await waitFor(async () => {
      const record = await credentials.get(other);
      return record?.previousSha256 === null;
    }, { timeoutMs: 30_000, what: 'the cache sees the second rotation (LISTEN)' });
    await expectConnectRefused('wrong_token', other, { username: other, password: rotated.token });
    await connect(other, { username: other, password: again.token });
  });
});
