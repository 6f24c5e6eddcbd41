import { describe, expect, it } from 'vitest';
import { consoleFailover } from '../src/faults/console-failover.js';

/**
 * A console node killed while browsers are connected, at small scale (scale 1 of the scenario
 * `npm run faults` runs larger; its code is tests/src/faults/console-failover.ts). Two console processes on
 * one database, joined by Redis, behind a front that sends each new connection to the first node that
 * accepts it (node A while it lives). Browsers sign in and follow the live feed through node A; node A is
 * SIGKILLed while incidents keep being raised (one every 100 ms, before, during and after the gap). Each
 * page shows its feed offline (the scenario checks every page's indicator went offline, then online, and
 * that the pages reconnected to node B), reconnects by itself, catches up over GET /incidents/changes, and
 * ends with every incident raised on its map: none missed.
 */
describe('a console node SIGKILLed while browsers are connected', () => {
  it('3 pages on node A go offline when it dies, reconnect to node B and miss no incident', async () => {
    const result = await consoleFailover({ scale: 1, progress: (message) => void process.stderr.write(`[faults] ${message}\n`) });
    expect(result.details.pages).toBe(3);
    expect(result.stored).toBe(result.sent);
    expect(result.details.missedPerPage).toBe('0/0/0');
    expect(result).toMatchObject({ duplicates: 0, lost: 0 });
  });
});
