import type { EventMessage } from '@streetwise/protocol';
import mqtt from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@streetwise/testing';
import { buildCity, selectSites } from '../city/city.js';
import { startLiveCamera } from './live-camera.js';
import { startLocalBroker, type LocalBroker } from '../testing/broker.js';

describe('a live camera: rendered street → real edge agent → events', () => {
  let local: LocalBroker;
  let url = '';

  beforeAll(async () => {
    local = await startLocalBroker();
    url = local.url;
  });

  afterAll(async () => {
    await local.close();
  });

  it('raises an event for each staged incident (ground truth) and no wrong-way or intrusion it did not stage', async () => {
    const events: EventMessage[] = [];
    const watcher = await mqtt.connectAsync(url, { clientId: 'watcher' });
    watcher.on('message', (topic, payload) => {
      if (topic.endsWith('/event')) events.push(JSON.parse(payload.toString()) as EventMessage);
    });
    await watcher.subscribeAsync('live/v1/+/event', { qos: 1 });
    const site = selectSites(buildCity({ seed: 3 }), 40).find((s) => s.kind === 'camera')!;
    // A quiet hour (03:00 in Hong Kong) and a simulated clock at 4 frames/s: the test runs as fast as the CPU renders.
    const camera = await startLiveCamera({
      site,
      seed: 3,
      mqttUrl: url,
      prefix: 'live',
      stoppedS: 4,
      incidentsPerHour: 0,
      simulatedClock: { startMs: Date.UTC(2025, 2, 3, 19, 0), stepMs: 250 },
      logger: pino({ level: 'silent' }),
    });
    try {
      const staged = [camera.stage('wrong_way', 20), camera.stage('crowd_density', 30), camera.stage('intrusion', 20), camera.stage('stopped_vehicle', 40)];
      const raised = (type: string) => events.some((e) => e.type === type);
      await waitFor(() => staged.every((s) => raised(s.expectedEvent)), { timeoutMs: 30_000, what: () => `events ${staged.map((s) => s.expectedEvent).join(', ')} (got ${[...new Set(events.map((e) => e.type))].join(', ')} after ${camera.frames} frames)` });
      for (const s of staged) {
        const event = events.find((e) => e.type === s.expectedEvent)!;
        expect(event.deviceId).toBe(site.id);
        expect(event.modelVersion).toBeDefined();
      }
      // Nothing was staged that should make these fire twice.
      expect(events.filter((e) => e.type === 'wrong_way').length).toBeLessThanOrEqual(1);
      expect(camera.frames).toBeGreaterThan(10);
    } finally {
      await camera.stop();
      await watcher.endAsync();
    }
  }, 90_000);
});
