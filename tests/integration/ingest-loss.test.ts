import { describe, expect, it } from 'vitest';
import { ingestSigkill, ingestSigkillSizes } from '../src/faults/ingest-sigkill.js';

/**
 * Loss test, at small scale (scale 1 of the scenario `npm run faults` runs larger; its code is
 * tests/src/faults/ingest-sigkill.ts): 20,000 QoS 1 events from a separate publisher while the ingest
 * process is SIGKILLed and restarted twice → exactly 20,000 rows, no duplicates. The database outlives
 * ingest: the embedded DB hosted by this test process, served to the ingest process on its wire port. The
 * broker is the machine's mosquitto binary with a private config (unlimited session queues) and
 * authentication on: ingest logs in with its ingest credential, the publisher with a gateway credential.
 */
describe('ingest process killed twice under load', () => {
  it('stores exactly 20000 events, once each', async () => {
    expect(ingestSigkillSizes(1)).toEqual({ events: 20_000, killsAtPublished: [6_000, 14_000] });
    const result = await ingestSigkill({ scale: 1, progress: (message) => void process.stderr.write(`[loss] ${message}\n`) });
    expect(result).toMatchObject({ sent: 20_000, stored: 20_000, duplicates: 0, lost: 0, deadLetters: 0 });
    expect(result.details.kills).toBe(2);
  });
});
