import { afterEach, describe, expect, it } from 'vitest';
import mqtt, { type IPublishPacket, type MqttClient } from 'mqtt';
import { installAckWindow, supportsAckWindow } from '@streetwise/ingest';
import { waitFor } from '@streetwise/testing';
import { runId } from '../src/ingest/wait.js';

// The machine's Mosquitto 2 (MQTT 5): one subscriber connection holding many PUBACKs until their
// messages are "committed" (here: until the test resolves them), never acking out of order.
const URL = 'mqtt://127.0.0.1:1883';
const WINDOW = 20;

interface Subscriber {
  client: MqttClient;
  /** Messages received, in order, each with the function that lets its PUBACK go. */
  received: Array<{ payload: string; commit: () => void }>;
  held: () => number;
}

const open: MqttClient[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.endAsync(true).catch(() => undefined)));
});

async function subscriber(clientId: string, topic: string, clean: boolean): Promise<Subscriber> {
  const received: Subscriber['received'] = [];
  const client = mqtt.connect(URL, {
    protocolVersion: 5, clientId, clean, reconnectPeriod: 0, manualConnect: true,
    properties: { sessionExpiryInterval: 300, receiveMaximum: WINDOW },
  });
  const window = installAckWindow(client, (packet: IPublishPacket) => new Promise<void>((resolve) => {
    received.push({ payload: String(packet.payload), commit: resolve });
  }));
  client.handleMessage = window.handleMessage;
  open.push(client);
  client.connect();
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  if (clean) await client.subscribeAsync(topic, { qos: 1 });
  return { client, received, held: () => window.stats().held };
}

async function publish(topic: string, count: number): Promise<void> {
  const publisher = await mqtt.connectAsync(URL, { protocolVersion: 5, clientId: runId('awpub'), reconnectPeriod: 0 });
  open.push(publisher);
  for (let i = 0; i < count; i++) await publisher.publishAsync(topic, `m${i}`, { qos: 1 });
}

/** End a connection without acking anything held (like a crash), and wait until the broker saw it go. */
async function crash(s: Subscriber): Promise<void> {
  s.client.stream.destroy();
  await waitFor(() => s.client.connected === false || undefined, { timeoutMs: 30_000, what: 'the connection to close' });
}

describe('ingest ack window on the machine\'s Mosquitto', () => {
  it('is available in this MQTT.js', () => {
    expect(supportsAckWindow()).toBe(true);
  });

  it('holds up to Receive Maximum messages on one connection, acks them in order, and only once committed', async () => {
    const id = runId('aw');
    const topic = `${id}/t`;
    const first = await subscriber(`${id}-sub`, topic, true);
    await publish(topic, 50);
    // One connection, many messages waiting at once: as many as the Receive Maximum it announced.
    await waitFor(() => first.received.length === WINDOW || undefined, { timeoutMs: 30_000, what: `${WINDOW} messages in flight` });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(first.received).toHaveLength(WINDOW);
    expect(first.held()).toBe(WINDOW);

    // Commit all but the first: nothing may be acked before it, so the broker sends nothing new.
    for (const r of first.received.slice(1)) r.commit();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(first.received).toHaveLength(WINDOW);
    expect(first.held()).toBe(WINDOW);

    // Crash: nothing was acked, so the resumed session gets every one of them again, then the rest.
    await crash(first);
    const second = await subscriber(`${id}-sub`, topic, false);
    await waitFor(() => second.received.length >= WINDOW || undefined, { timeoutMs: 30_000, what: 'the first message again' });
    expect(second.received.slice(0, WINDOW).map((r) => r.payload)).toEqual(first.received.map((r) => r.payload));

    // Committing everything, in any order, acks everything: the next messages keep coming until all 50 are done.
    const committed = new Set<string>();
    await waitFor(() => {
      for (const r of [...second.received].reverse()) {
        if (!committed.has(r.payload)) {
          committed.add(r.payload);
          r.commit();
        }
      }
      return committed.size === 50 || undefined;
    }, { timeoutMs: 30_000, what: 'all 50 committed' });
    await waitFor(() => second.held() === 0 || undefined, { timeoutMs: 30_000, what: 'no PUBACK held' });
    expect([...committed].sort()).toEqual(Array.from({ length: 50 }, (_, i) => `m${i}`).sort());

    // Acked for good: a resumed session has nothing to redeliver.
    await second.client.endAsync();
    const third = await subscriber(`${id}-sub`, topic, false);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(third.received).toHaveLength(0);
    await third.client.endAsync(false, { properties: { sessionExpiryInterval: 0 } });
  });
});
