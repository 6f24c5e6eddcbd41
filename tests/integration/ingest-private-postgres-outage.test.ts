import { describe, expect, it } from 'vitest';
import { databaseOutage } from '../src/faults/database-outage.js';

/**
 * A database outage on a real PostgreSQL server, at small scale (scale 1 of the scenario `npm run faults`
 * runs larger; its code is tests/src/faults/database-outage.ts): a private cluster (initdb in a temp dir,
 * its own port) under the real ingest process (pg adapter), while devices publish at a steady rate through
 * a private Mosquitto. The server is crashed (pg_ctl stop -m immediate) mid-stream and started again after
 * the publisher has gone on for a while; every event must then be exactly one row.
 */
describe('database outage on a private PostgreSQL cluster under the ingest process', () => {
  it('stores 5000 events once each across a crash and restart of the database server', async () => {
    const result = await databaseOutage({ scale: 1, progress: (message) => void process.stderr.write(`[faults] ${message}\n`) });
    expect(result).toMatchObject({ sent: 5_000, stored: 5_000, duplicates: 0, lost: 0, deadLetters: 0 });
    // Down while another 2,500 events were published (about 2.5 s at this rate, more with the start-up).
    expect(result.details.sentDuringOutage).toBeGreaterThanOrEqual(2_500);
  });
});
