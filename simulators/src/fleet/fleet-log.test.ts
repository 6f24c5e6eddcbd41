import mqtt from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceTopic } from '@streetwise/protocol';
import { repeatedJsonKeys, waitFor } from '@streetwise/testing';
import { startFleet } from './fleet.js';
import { startLocalBroker, type LocalBroker } from '../testing/broker.js';

// pino prints every bound key, also one its parent bound already, and JSON.parse then hides the first:
// so these assertions read the raw line text.
describe('the fleet logs each binding once', () => {
  let local: LocalBroker;
  let url = '';

  beforeAll(async () => {
    local = await startLocalBroker();
    url = local.url;
  });

  afterAll(async () => {
    await local.close();
  });

  it('in its own lines and in a device publisher\'s', async () => {
    const lines: string[] = [];
    // As the stack gives it: the process's root logger.
    const logger = pino({ level: 'info' }, { write: (line: string) => { lines.push(line); } });
    const fleet = await startFleet({ mqttUrl: url, devices: 2, seed: 3, prefix: 'logtest', ratePerDevice: 1, incidentsPerHour: 0, liveCameras: 0, logger });
    const operator = await mqtt.connectAsync(url, { clientId: 'log-test-operator' });
    try {
      const line = (msg: string) => lines.find((l) => (JSON.parse(l) as { msg: string }).msg === msg);
      const connected = await waitFor(() => line('fleet connected'), { what: "the fleet's 'fleet connected' line" });
      // A malformed config downlink makes the device's publisher warn (the fleet keeps devices at warn).
      const deviceId = fleet.sites[0]!.id;
      await operator.publishAsync(deviceTopic(deviceId, 'config', 'logtest'), 'not json', { qos: 1 });
      const rejected = await waitFor(() => line('config downlink rejected'), { what: "the publisher's 'config downlink rejected' line" });

      expect(JSON.parse(connected)).toMatchObject({ component: 'fleet' });
      expect(JSON.parse(rejected)).toMatchObject({ component: 'publish', deviceId });
      for (const text of lines) expect(repeatedJsonKeys(text), text).toEqual([]);
    } finally {
      await operator.endAsync();
      await fleet.stop();
    }
  });
});
