import { createPublisher, type OutboxStore, type Publisher } from '@streetwise/edge-agent';
import { testLogger } from '../ingest/fixtures.js';
import { HK } from '../ingest/messages.js';

/**
 * The devices of the on-the-way-in faults: the edge agent's real publisher with its outbox (a message
 * leaves it only after its PUBACK), and a steady detection rate across them.
 */
const RATE_PER_TICK = 25;
const TICK_MS = 25;

export function startDevice(id: string, mqttUrl: string, prefix: string, outbox: OutboxStore): Publisher {
  const publisher = createPublisher({
    deviceId: id,
    mqttUrl,
    prefix,
    outbox,
    birth: { kind: 'camera', location: HK, district: 'Central and Western', name: `Camera ${id}` },
    healthIntervalS: 0,
    logger: testLogger(),
    mqtt: { reconnectPeriod: 100 },
  });
  publisher.start();
  return publisher;
}

/** The devices publish RATE_PER_TICK events every TICK_MS (1,000 events/s in all), round robin, until `count` more are out. */
export async function detectSteadily(devices: readonly Publisher[], count: number, ids: string[]): Promise<void> {
  for (let sent = 0; sent < count; ) {
    const tick = new Promise((resolve) => setTimeout(resolve, TICK_MS));
    for (let i = 0; i < RATE_PER_TICK && sent < count; i++, sent++) {
      const trackId = ids.length;
      ids.push(devices[trackId % devices.length]!.publishEvent({ type: 'detection', severity: 'info', class: 'person', trackId }).id);
    }
    await tick;
  }
}
