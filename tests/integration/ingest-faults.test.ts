import { describe, expect, it } from 'vitest';
import { brokerRestart } from '../src/faults/broker-restart.js';
import { deviceOffline } from '../src/faults/device-offline.js';

/**
 * Faults between the devices and the database, at small scale (scale 1 of the scenarios `npm run faults`
 * runs larger; their code is in tests/src/faults): the broker restarted mid-stream, and a device's network
 * gone and back. The devices are the edge agent's real publisher with its outbox (a message leaves it only
 * after its PUBACK); ingest runs in this process on the MQTT 5 transport against the machine's mosquitto
 * binary (a private config), writing to a throw-away database on the machine's PostgreSQL. Each reports
 * events sent, rows stored and duplicates: 0 lost, 0 duplicated. (ingest SIGKILLed mid-batch and
 * restarted: ingest-loss.test.ts; the database down: ingest-private-postgres-outage.test.ts.)
 */
const progress = (message: string): void => void process.stderr.write(`[faults] ${message}\n`);

describe('ingest through faults on the way in', () => {
  it('the broker restarted mid-stream: every event one row', async () => {
    const result = await brokerRestart({ scale: 1, progress });
    // 3,000 from the devices and one canary, published straight to the broker once it was back.
    expect(result).toMatchObject({ sent: 3_001, stored: 3_001, duplicates: 0, lost: 0, deadLetters: 0 });
    expect(result.details.restarts).toBe(1);
    expect(result.details.minDeviceConnects, 'every device reconnected').toBeGreaterThanOrEqual(2);
  });

  it('a device offline, rebooted while offline, then back: its disk outbox replays, every event one row', async () => {
    const result = await deviceOffline({ scale: 1, progress });
    expect(result).toMatchObject({ sent: 1_500, stored: 1_500, duplicates: 0, lost: 0, deadLetters: 0 });
    expect(result.details).toMatchObject({ devices: 1, sentOffline: 1_000 });
  });
});
