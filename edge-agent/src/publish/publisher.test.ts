import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeUplink, deviceTopic, encodeMessage, newMessageId } from '@streetwise/protocol';
import { openFileOutbox } from '../outbox/file-store.js';
import { createMemoryOutbox } from '../outbox/memory-store.js';
import type { OutboxStore } from '../outbox/types.js';
import { waitFor } from '@streetwise/testing';
import { startTestBroker, type TestBroker } from '../testing/broker.js';
import { createPublisher, type Publisher, type PublisherOptions } from './publisher.js';

const logger = pino({ level: 'silent' });
const birth = { kind: 'camera' as const, location: { lat: 52.52, lon: 13.405 }, name: 'Test cam', capabilities: ['detect'], models: { detector: 'v1' } };

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function broker(port = 0): Promise<TestBroker> {
  const b = await startTestBroker(port);
  cleanup.push(() => b.stop());
  return b;
}

function publisher(url: string, overrides: Partial<PublisherOptions> = {}, outbox: OutboxStore = createMemoryOutbox()): Publisher {
  const p = createPublisher({ deviceId: 'cam-1', mqttUrl: url, outbox, birth, healthIntervalS: 0, logger, mqtt: { reconnectPeriod: 50 }, ...overrides });
  cleanup.push(async () => {
    await p.stop();
    outbox.close();
  });
  return p;
}

const ofKind = (b: TestBroker, kind: string, deviceId = 'cam-1') => b.captured.filter((c) => c.topic === deviceTopic(deviceId, kind as 'event'));

describe('publisher', () => {
  it('announces itself with a retained birth and delivers events in order, each valid for ingest', async () => {
    const b = await broker();
    const p = publisher(b.url);
    p.start();
    await p.whenConnected();
    await waitFor(() => ofKind(b, 'status').length === 1, { timeoutMs: 5000, what: 'birth' });
    const status = ofKind(b, 'status')[0]!;
    expect(status.retain).toBe(true);
    expect(status.json).toMatchObject({ state: 'online', kind: 'camera', deviceId: 'cam-1', models: { detector: 'v1' } });
    const sent = Array.from({ length: 5 }, (_, i) => p.publishEvent({ type: 'line_crossing', severity: 'info', class: 'car', trackId: i, rule: 'stop-line' }));
    p.publishTelemetry({ intervalS: 60, counts: { car: 5 } });
    await p.whenDrained();
    // aedes' 'publish' event (the capture) can come after the PUBACK that drained the outbox: wait for the capture.
    await waitFor(() => ofKind(b, 'event').length >= sent.length && ofKind(b, 'telemetry').length >= 1, { timeoutMs: 5000, what: 'events captured' });
    expect(ofKind(b, 'event').map((c) => c.json.id)).toEqual(sent.map((m) => m.id));
    for (const c of [...ofKind(b, 'event'), ...ofKind(b, 'telemetry'), status]) {
      const decoded = decodeUplink(c.topic, c.payload);
      expect(decoded.ok, JSON.stringify(decoded)).toBe(true);
    }
    expect(p.stats()).toMatchObject({ acked: 6, outboxDepth: 0, inflight: 0 });
  });

  it('removes a message from the outbox only after its PUBACK', async () => {
    let release: (() => void) | undefined;
    const b = await startTestBroker(0, (aedes) => {
      aedes.authorizePublish = (_client, packet, callback) => {
        if (packet.topic.endsWith('/event') && !release) release = () => callback(null);
        else callback(null);
      };
    });
    cleanup.push(() => b.stop());
    const outbox = createMemoryOutbox();
    const p = publisher(b.url, {}, outbox);
    p.start();
    await p.whenConnected();
    p.publishEvent({ type: 'intrusion', severity: 'high', class: 'person' });
    await waitFor(() => release !== undefined, { timeoutMs: 5000, what: 'publish to reach the broker' });
    expect(outbox.stats().depth).toBe(1);
    expect(p.stats().inflight).toBe(1);
    release!();
    await p.whenDrained();
    expect(outbox.stats().depth).toBe(0);
  });

  it('keeps everything while the broker is down ("10 minutes": an event a second, telemetry each minute) and delivers it all in order once it is back', async () => {
    const b = await broker();
    await b.stop();
    const dir = mkdtempSync(join(tmpdir(), 'sw-pub-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const p = publisher(b.url, {}, openFileOutbox({ dir, fsync: 'never' }));
    p.start();
    const ids: string[] = [];
    for (let second = 1; second <= 600; second++) {
      ids.push(p.publishEvent({ type: 'detection', severity: 'info', class: 'person', trackId: second }).id);
      if (second % 60 === 0) ids.push(p.publishTelemetry({ intervalS: 60, counts: { car: second } }).id);
    }
    expect(p.stats()).toMatchObject({ connected: false, outboxDepth: 610 });
    await b.restart();
    await p.whenDrained();
    const delivered = b.captured.filter((c) => c.topic.endsWith('/event') || c.topic.endsWith('/telemetry')).map((c) => c.json.id);
    expect(delivered).toEqual(ids);
  });

  it('leaves a retained offline will when the connection dies, and comes back online by itself', async () => {
    const b = await broker();
    const p = publisher(b.url);
    p.start();
    await p.whenConnected();
    await waitFor(() => ofKind(b, 'status').length === 1, { timeoutMs: 5_000 });
    // Kill the device's socket from the broker side: an unclean loss of the connection.
    const client = (b.broker as unknown as { clients: Record<string, { conn: { destroy(): void } }> }).clients['cam-1'];
    client!.conn.destroy();
    await waitFor(() => ofKind(b, 'status').some((c) => c.json.state === 'offline'), { timeoutMs: 5000, what: 'last will' });
    const will = ofKind(b, 'status').find((c) => c.json.state === 'offline')!;
    expect(will.retain).toBe(true);
    expect(decodeUplink(will.topic, will.payload).ok).toBe(true);
    await waitFor(() => ofKind(b, 'status').filter((c) => c.json.state === 'online').length === 2, { timeoutMs: 5000, what: 'birth after reconnect' });
    expect(p.stats().connects).toBe(2);
  });

  it('says goodbye with a retained offline status on stop', async () => {
    const b = await broker();
    const p = publisher(b.url);
    p.start();
    await p.whenConnected();
    await p.stop();
    await waitFor(() => ofKind(b, 'status').some((c) => c.json.state === 'offline'), { timeoutMs: 5_000 });
    expect(ofKind(b, 'status').map((c) => c.json.state)).toEqual(['online', 'offline']);
  });

  it('hands valid config downlinks to onConfig and reports invalid ones as config_rejected', async () => {
    const b = await broker();
    const p = publisher(b.url);
    const received: number[] = [];
    p.onConfig((config) => {
      received.push(config.configVersion);
    });
    p.start();
    await p.whenConnected();
    await waitFor(() => (b.broker as unknown as { clients: Record<string, { subscriptions: Record<string, unknown> }> }).clients['cam-1']?.subscriptions[deviceTopic('cam-1', 'config')] !== undefined, { timeoutMs: 5_000 });
    const send = (payload: Buffer) =>
      new Promise<void>((resolve) => b.broker.publish({ cmd: 'publish', topic: deviceTopic('cam-1', 'config'), payload, qos: 1, retain: false, dup: false }, () => resolve()));
    await send(encodeMessage({ v: 1, id: newMessageId(), ts: new Date().toISOString(), configVersion: 7, patch: { thresholds: { car: 0.4 } } }));
    await waitFor(() => received.length === 1, { timeoutMs: 5_000 });
    expect(received).toEqual([7]);
    await send(Buffer.from('{"v":1,"configVersion":"eight"}'));
    await waitFor(() => ofKind(b, 'event').length === 1, { timeoutMs: 5_000 });
    expect(ofKind(b, 'event')[0]!.json).toMatchObject({ type: 'config_rejected', attrs: { code: 'schema' } });
    expect(p.stats()).toMatchObject({ configsReceived: 2, configsRejected: 1 });
  });

  it('publishes health with outbox depth, process figures and the pipeline figures', async () => {
    const b = await broker();
    const p = publisher(b.url, { healthFigures: () => ({ fps: 24.5, inferenceMsP50: 20, inferenceMsP95: 31 }), healthIntervalS: 0.05 });
    p.start();
    await p.whenConnected();
    await waitFor(() => ofKind(b, 'health').length >= 2, { timeoutMs: 5000, what: 'two health messages' });
    const health = ofKind(b, 'health')[0]!;
    expect(decodeUplink(health.topic, health.payload).ok).toBe(true);
    expect(health.json).toMatchObject({ fps: 24.5, inferenceMsP50: 20, inferenceMsP95: 31, outboxDepth: 0, outboxDropped: 0, models: { detector: 'v1' } });
    expect(health.json.rssMb).toBeGreaterThan(10);
  });

  it('runs many devices in one process, one connection each', async () => {
    const b = await broker();
    const fleet = Array.from({ length: 50 }, (_, i) => publisher(b.url, { deviceId: `sim-${i}` }));
    for (const p of fleet) p.start();
    await Promise.all(fleet.map((p) => p.whenConnected()));
    for (const p of fleet) p.publishEvent({ type: 'detection', severity: 'info', class: 'bicycle' });
    await Promise.all(fleet.map((p) => p.whenDrained()));
    expect(new Set(b.captured.filter((c) => c.topic.endsWith('/event')).map((c) => c.json.deviceId)).size).toBe(50);
  });

  it('refuses to queue a message that breaks the protocol schema', () => {
    const p = publisher('mqtt://127.0.0.1:1');
    expect(() => p.publishEvent({ type: 'detection', severity: 'info', confidence: 3 })).toThrow(expect.objectContaining({ code: 'SW_EDGE_MESSAGE_INVALID' }));
  });
});
