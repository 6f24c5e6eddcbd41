import { decodeUplink, type StatusMessage } from '@streetwise/protocol';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@streetwise/testing';
import { startFleet } from './fleet.js';
import { startLocalBroker, type LocalBroker } from '../testing/broker.js';

describe('startFleet against an embedded broker', () => {
  let local: LocalBroker;
  let url = '';
  const clientIds: string[] = [];

  beforeAll(async () => {
    local = await startLocalBroker();
    local.broker.on('client', (client) => clientIds.push(client.id));
    url = local.url;
  });

  afterAll(async () => {
    await local.close();
  });

  it('connects each device with its own client id, sends valid births, telemetry, health, and a last will on a dropped link', async () => {
    const received: Array<{ topic: string; payload: Buffer; retain: boolean }> = [];
    const watcher = await mqtt.connectAsync(url, { clientId: 'watcher' });
    watcher.on('message', (topic, payload, packet) => received.push({ topic, payload, retain: packet.retain }));
    await watcher.subscribeAsync('test/v1/+/+', { qos: 1 });

    const fleet = await startFleet({ mqttUrl: url, devices: 24, seed: 5, prefix: 'test', ratePerDevice: 10, incidentsPerHour: 0, faults: true, liveCameras: 0 });
    try {
      const ids = fleet.sites.map((s) => s.id);
      expect(new Set(ids).size).toBe(24);
      expect(clientIds).toEqual(expect.arrayContaining(ids));
      const telemetryFrom = () => new Set(received.filter((m) => m.topic.endsWith('/telemetry')).map((m) => m.topic.split('/')[2]));
      await waitFor(() => telemetryFrom().size === 24, { timeoutMs: 10_000, what: 'telemetry from every device' });
      await waitFor(() => received.filter((m) => m.topic.endsWith('/status')).length >= 24, { timeoutMs: 5000, what: 'births' });

      for (const m of received) {
        const decoded = decodeUplink(m.topic, m.payload, { prefix: 'test' });
        expect(decoded.ok, JSON.stringify(decoded)).toBe(true);
      }
      const births = received.filter((m) => m.topic.endsWith('/status')).map((m) => JSON.parse(m.payload.toString()) as StatusMessage);
      expect(births.every((b) => b.state === 'online' && b.location !== undefined && b.district !== undefined)).toBe(true);
      expect(new Set(births.map((b) => b.district)).size).toBe(18);
      await waitFor(() => received.filter((m) => m.topic.endsWith('/health')).length >= 24, { timeoutMs: 5000, what: 'health from every device' });
      expect(fleet.stats().acked).toBeGreaterThan(0);

      // An incident staged at a camera comes back as an event of its type, and is kept as ground truth.
      const camera = fleet.sites.find((site) => site.kind === 'camera')!;
      const incident = fleet.stageIncident(camera.id, 'stopped_vehicle', 60);
      await waitFor(() => received.some((m) => m.topic === `test/v1/${camera.id}/event`), { timeoutMs: 5000, what: 'incident event' });
      const event = JSON.parse(received.find((m) => m.topic === `test/v1/${camera.id}/event`)!.payload.toString()) as { type: string; attrs: Record<string, unknown> };
      expect(event.type).toBe('stopped_vehicle');
      expect(event.attrs['incident']).toBe(incident.id);
      expect(fleet.groundTruth().map((i) => i.id)).toContain(incident.id);

      // Drop one device for a second: the broker publishes its last will, then it comes back with a new birth.
      const victim = ids[3]!;
      const statusOf = () => received.filter((m) => m.topic === `test/v1/${victim}/status`).map((m) => (JSON.parse(m.payload.toString()) as StatusMessage).state);
      fleet.dropConnection(victim, 1);
      await waitFor(() => statusOf().includes('offline'), { timeoutMs: 5000, what: 'last will' });
      expect(fleet.stats().connected).toBe(23);
      await waitFor(() => statusOf().lastIndexOf('online') > statusOf().indexOf('offline'), { timeoutMs: 8000, what: 'rebirth' });
      await waitFor(() => fleet.stats().connected === 24, { timeoutMs: 5000, what: 'all connected again' });
      // Telemetry queued while the device was cut off is delivered after it comes back.
      // The fleet keeps publishing, so a fresh message can be in flight at any instant: wait until the
      // outboxes have been empty at one moment rather than reading a single instant.
      await fleet.whenDrained(5000);
      await waitFor(() => fleet.stats().pending === 0, { timeoutMs: 5000, what: 'no message pending' });
    } finally {
      await fleet.stop();
      await watcher.endAsync();
    }
    expect(fleet.stats().connected).toBe(0);
  });
});
