import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { FeedPeriod, FeedProblem } from '../feed.js';
import { waitFor } from '@streetwise/testing';
import { startTestFeedServer } from '../testing/feed-server.js';
import type { TestFeedServer } from '../testing/feed-server.js';
import { shiftTdSnapshot } from '../testing/shift-snapshot.js';
import { createTdFeed } from '../td/td-feed.js';
import type { TdDetectorAggregate } from '../td/td-types.js';
import { FeedHealth } from './feed-health.js';
import { HttpPoller } from './http-poller.js';
import type { PollOutcome } from './http-poller.js';
import { startPollLoop } from './poll-loop.js';
import type { PollLoop } from './poll-loop.js';

const TEXT = readFileSync(fileURLToPath(new URL('../../data/hk/td_raw_speed_volume_2024-04-06_2127.xml', import.meta.url)), 'utf8');
const file = (text: string, etag: string) => ({ kind: 'file', body: Buffer.from(text, 'utf8'), etag, lastModified: 'Sat, 06 Apr 2024 13:28:05 GMT' }) as const;
const feed = createTdFeed();

let server: TestFeedServer | undefined;
let loop: PollLoop | undefined;
afterEach(async () => {
  await loop?.stop();
  await server?.close();
  loop = undefined;
  server = undefined;
});

describe('poll loop: local server → feed → new periods once, health, never a crash', () => {
  it('passes each period on once across files that repeat one, survives a broken reply, and reports a stale feed', async () => {
    server = await startTestFeedServer(file(TEXT, '"a"'));
    const batches: Array<{ labels: string[]; detectors: number[]; problems: FeedProblem[] }> = [];
    const outcomes: Array<{ kind: PollOutcome['kind']; error?: string }> = [];
    const health = new FeedHealth();
    loop = startPollLoop({
      feed,
      poller: new HttpPoller({ url: server.url, feedName: feed.name, periodMs: 20, backoffMs: 20 }),
      health,
      onPeriods: (periods: Array<FeedPeriod<TdDetectorAggregate>>, problems) => {
        batches.push({ labels: periods.map((p) => p.label), detectors: periods.map((p) => p.readings.length), problems });
      },
      onPoll: (outcome, error) => outcomes.push({ kind: outcome.kind, ...(error ? { error: error.message } : {}) }),
    });
    await waitFor(() => outcomes.some((o) => o.kind === 'not_modified'), { timeoutMs: 10_000, what: 'a 304' });
    expect(batches[0]).toEqual({
      labels: ['2024-04-06 21:27:00–21:27:30 HKT', '2024-04-06 21:27:30–21:28:00 HKT'],
      detectors: [752, 754],
      problems: [],
    });

    // The publisher writes an error page for a while: failures are recorded, the loop goes on.
    server.reply = { kind: 'status', status: 200, body: '<html><body>maintenance</body></html>' };
    await waitFor(() => health.report(Date.now()).consecutiveFailures >= 2, { timeoutMs: 10_000, what: 'two failures' });
    expect(health.report(Date.now()).lastError).toContain('is unreadable as a whole: no <raw_speed_volume_list> element');

    // The next file repeats 21:27:30–21:28:00 and adds 21:28:00–21:28:30: only the new period is passed on.
    server.reply = file(shiftTdSnapshot(TEXT, 30), '"b"');
    await waitFor(() => batches.length >= 2, { timeoutMs: 10_000, what: 'the next file' });
    expect(batches[1]!.labels).toEqual(['2024-04-06 21:28:00–21:28:30 HKT']);
    expect(batches[1]!.detectors).toEqual([754]);
    await loop.stop();
    loop = undefined;
    expect(batches).toHaveLength(2);

    const report = health.report(Date.now());
    expect(report.consecutiveFailures).toBe(0);
    expect(report.latestPeriodEndMs).toBe(Date.UTC(2024, 3, 6, 13, 28, 30));
    // The snapshot is from 2024: the feed is reported stale, and nothing crashed.
    expect(report.feed).toBe('stale');
    expect(report.warnings[0]).toMatch(/^feed stale: newest period ended \d+ s ago$/);
    // AID09255 and TDSTPTWR10001 first appear in the second period; every detector was seen 0–60 s before the newest period.
    expect(report.sites).toEqual({ live: 754, stale: [], offline: [] });
  });
});
