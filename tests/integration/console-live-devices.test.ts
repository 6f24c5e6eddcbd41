import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { MqttClient } from 'mqtt';
import { Registry } from 'prom-client';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { build, listen } from '@streetwise/console';
import type { EmbeddedDatabase } from '@streetwise/db';
import { createIngest, type Ingest } from '@streetwise/ingest';
import { deviceTopic, encodeMessage, makeMessage } from '@streetwise/protocol';
import { waitFor } from '@streetwise/testing';
import { addUser, signIn, TEST_SCRYPT_COST } from '../src/console-auth.js';
import { aedesBroker, type BrokerUnderTest } from '../src/ingest/brokers.js';
import { connectPublisher, embeddedDb, publishAll, testLogger } from '../src/ingest/fixtures.js';
import { birth, publication } from '../src/ingest/messages.js';
import { runId } from '../src/ingest/wait.js';
import { devicesIn, type DevicesDiffV2 as Diff, type DiffDevice as Feature } from '../src/devices-diff.js';

/**
 * The whole chain on the embedded stack: a device's MQTT messages → ingest (commit, NOTIFY) → the
 * console's devices:diff on a browser's socket. Health below the configured frame rate shows it degraded;
 * its last will, as a key site, shows it offline with its device_offline incident's severity.
 */
describe('live devices: from a device\'s MQTT messages to the map\'s diff', () => {
  let db: EmbeddedDatabase;
  let broker: BrokerUnderTest;
  let ingest: Ingest;
  let app: FastifyInstance;
  let socket: Socket;
  let device: MqttClient;
  const run = runId('lv');
  const id = `cam-${run}`;
  const diffs: Diff[] = [];
  const featureOf = (wanted: (f: Feature) => boolean, what: string): Promise<Feature> =>
    waitFor(() => diffs.flatMap(devicesIn).find((f) => f.id === id && wanted(f)), { timeoutMs: 20_000, what });

  beforeAll(async () => {
    db = await embeddedDb();
    broker = await aedesBroker();
    ingest = createIngest({ db, transport: broker.transport(run), prefix: run, logger: testLogger(), registry: new Registry() });
    await ingest.start();
    app = await build({ db, accounts: { scryptCost: TEST_SCRYPT_COST }, analytics: false, deviceDiff: { intervalMs: 300, gatherMs: 50 } });
    await addUser(db, 'op-1', 'operator');
    const session = await signIn(app, 'op-1');
    const { url } = await listen(app, 0);
    socket = connectSocket(url, { transports: ['websocket'], extraHeaders: { cookie: session.cookie } });
    socket.on('devices:diff', (diff: Diff) => diffs.push(diff));
    await waitFor(() => (socket.connected ? true : undefined), { timeoutMs: 10_000, what: 'socket connected' });
  });
  afterAll(async () => {
    socket?.close();
    await device?.endAsync(true);
    await app?.close();
    await ingest?.stop();
    await broker?.close();
    await db?.close();
  });

  it('shows a new device online, degraded when its frame rate drops, online again, and offline with a high incident when a key site dies', async () => {
    const will = { topic: deviceTopic(id, 'status', run), payload: encodeMessage(makeMessage('status', { deviceId: id, state: 'offline' })), qos: 1 as const, retain: true };
    device = await connectPublisher(broker.url, id, { will });
    await publishAll(device, [publication(run, id, 'status', birth(id, { healthIntervalS: 30 }))], true);
    expect((await featureOf((f) => f.properties.state === 'online', 'the new device')).properties).toMatchObject({ stateReason: null, keySite: false, severity: null });

    const health = (fps: number) => publication(run, id, 'health', makeMessage('health', { deviceId: id, uptimeS: 60, fps, fpsTarget: 10, outboxDepth: 0, inferenceErrors: 0 }));
    await publishAll(device, [health(4.5)]);
    await featureOf((f) => f.properties.stateReason === 'fps_low', 'degraded: fps 4.5 of 10');
    await publishAll(device, [health(9.5)]);
    await featureOf((f) => f.properties.state === 'online' && devicesIn(diffs.at(-1)!).some((d) => d.id === f.id && d.properties.state === 'online'), 'online again at fps 9.5');

    await db.query('update devices set key_site = true where id = $1', [id]);
    device.stream.destroy(); // power cut: the broker sends its last will
    const gone = await featureOf((f) => f.properties.state === 'offline' && f.properties.severity !== null, 'offline, with its incident');
    expect(gone.properties).toMatchObject({ state: 'offline', stateReason: null, severity: 'high', keySite: true });
  });
});
