import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { isStreetwiseError } from '@streetwise/errors';
import { startTestFeedServer } from '../testing/feed-server.js';
import type { TestFeedServer } from '../testing/feed-server.js';
import { HttpPoller } from './http-poller.js';

const SNAPSHOT = readFileSync(fileURLToPath(new URL('../../data/hk/td_raw_speed_volume_2024-04-06_2127.xml', import.meta.url)));
const FILE = { kind: 'file', body: SNAPSHOT, etag: '"snap-2127"', lastModified: 'Sat, 06 Apr 2024 13:28:05 GMT' } as const;

let server: TestFeedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('HttpPoller against a local HTTP server', () => {
  it('reads the file, then asks conditionally and gets 304 while it has not changed', async () => {
    server = await startTestFeedServer(FILE);
    const poller = new HttpPoller({ url: server.url, feedName: 'td' });
    const first = await poller.pollOnce();
    expect(first.kind).toBe('snapshot');
    expect(first.kind === 'snapshot' && Buffer.from(first.bytes).equals(SNAPSHOT)).toBe(true);
    expect(server.requests[0]!['if-none-match']).toBeUndefined();
    expect((await poller.pollOnce()).kind).toBe('not_modified');
    expect(server.requests[1]).toMatchObject({ 'if-none-match': '"snap-2127"', 'if-modified-since': 'Sat, 06 Apr 2024 13:28:05 GMT' });
    // A new file on the server: a new ETag, so a 200 again.
    server.reply = { ...FILE, etag: '"snap-2128"' };
    expect((await poller.pollOnce()).kind).toBe('snapshot');
    expect(server.statuses).toEqual([200, 304, 200]);
    expect(poller.nextDelayMs()).toBe(30_000);
  });

  it('backs off exponentially while the server fails (2, 4, 8 … s, at most 300 s), and returns to the period after', async () => {
    server = await startTestFeedServer({ kind: 'status', status: 503, body: '<html>busy</html>' });
    const poller = new HttpPoller({ url: server.url, feedName: 'td' });
    const delays: number[] = [];
    for (let i = 0; i < 10; i++) {
      const outcome = await poller.pollOnce();
      expect(outcome.kind).toBe('failed');
      if (outcome.kind === 'failed') {
        expect(isStreetwiseError(outcome.error, 'SW_CONNECTOR_FETCH_FAILED')).toBe(true);
        expect(outcome.error.message).toBe(`feed td: fetching ${server.url} failed: HTTP 503 Service Unavailable`);
      }
      delays.push(poller.nextDelayMs());
    }
    expect(delays).toEqual([2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000, 300_000]);
    expect(poller.consecutiveFailures).toBe(10);
    server.reply = FILE;
    expect((await poller.pollOnce()).kind).toBe('snapshot');
    expect(poller.nextDelayMs()).toBe(30_000);
  });

  it('a refused connection and a server that never answers are failures with the reason, not exceptions', async () => {
    server = await startTestFeedServer({ kind: 'hang' });
    const hanging = new HttpPoller({ url: server.url, feedName: 'td', timeoutMs: 200 });
    const timedOut = await hanging.pollOnce();
    expect(timedOut.kind === 'failed' && timedOut.error.message).toMatch(/failed: .*(timeout|aborted)/i);
    const url = server.url;
    await server.close();
    server = undefined;
    const refused = await new HttpPoller({ url, feedName: 'td' }).pollOnce();
    expect(refused.kind === 'failed' && refused.error.message).toBe(`feed td: fetching ${url} failed: ECONNREFUSED`);
  });

  it('refuses a reply larger than maxBytes, and reads one that fits', async () => {
    server = await startTestFeedServer(FILE);
    const small = await new HttpPoller({ url: server.url, feedName: 'td', maxBytes: SNAPSHOT.length - 1 }).pollOnce();
    expect(small.kind === 'failed' && small.error.message).toBe(`feed td: fetching ${server.url} failed: the reply is larger than ${SNAPSHOT.length - 1} bytes`);
    expect((await new HttpPoller({ url: server.url, feedName: 'td', maxBytes: SNAPSHOT.length }).pollOnce()).kind).toBe('snapshot');
  });

  it('refuses options out of bounds', () => {
    for (const options of [{ url: 'ftp://x/y.xml' }, { url: 'http://127.0.0.1/x', periodMs: 0 }, { url: 'http://127.0.0.1/x', backoffMs: Number.NaN }]) {
      let caught: unknown;
      try {
        new HttpPoller({ feedName: 'td', ...options });
      } catch (err) {
        caught = err;
      }
      expect(isStreetwiseError(caught, 'SW_CONNECTOR_OPTIONS_INVALID'), JSON.stringify(options)).toBe(true);
    }
  });
});
