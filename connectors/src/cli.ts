#!/usr/bin/env node
import { isStreetwiseError } from '@streetwise/errors';
import { CLI_HELP, parseCliFlags } from './cli-flags.js';
import type { FeedPeriod, FeedProblem } from './feed.js';
import { FeedHealth } from './source/feed-health.js';
import { HttpPoller } from './source/http-poller.js';
import { startPollLoop } from './source/poll-loop.js';
import { replaySnapshots } from './source/replay.js';
import { createTdFeed } from './td/td-feed.js';
import type { TdDetectorAggregate } from './td/td-types.js';

const print = (value: object): void => {
  process.stdout.write(`${JSON.stringify(value)}\n`);
};

function printPeriods(periods: Array<FeedPeriod<TdDetectorAggregate>>, problems: FeedProblem[]): void {
  for (const period of periods) {
    print({
      type: 'period',
      label: period.label,
      endUtc: new Date(period.endMs).toISOString(),
      ...(period.originalEndMs === undefined ? {} : { publishedEndUtc: new Date(period.originalEndMs).toISOString() }),
      complete: period.complete,
      detectors: period.readings.length,
      volume: period.readings.reduce((sum, r) => sum + r.volume, 0),
      lanesInvalid: period.readings.reduce((sum, r) => sum + r.lanesInvalid, 0),
    });
  }
  for (const problem of problems) print({ type: 'problem', ...problem });
}

async function main(): Promise<number> {
  const flags = parseCliFlags(process.argv.slice(2));
  if (flags.help) {
    process.stdout.write(`${CLI_HELP}\n`);
    return 0;
  }
  const feed = createTdFeed();
  const health = new FeedHealth();
  if (flags.replay !== undefined) {
    for (const replayed of await replaySnapshots({ feed, path: flags.replay, nowMs: Date.now() })) {
      if (replayed.error) print({ type: 'problem', file: replayed.file, code: 'unreadable', message: replayed.error.message });
      health.observe(replayed.periods);
      printPeriods(replayed.periods, replayed.problems);
    }
    print({ type: 'health', ...health.report(Date.now()) });
    return 0;
  }
  let polls = 0;
  let stopping: (() => void) | undefined;
  const done = new Promise<void>((resolve) => (stopping = resolve));
  const loop = startPollLoop({
    feed,
    health,
    poller: new HttpPoller({ url: flags.url!, feedName: feed.name, periodMs: flags.periodS * 1000 }),
    onPeriods: printPeriods,
    onPoll: (outcome, error) => {
      if (error) print({ type: 'error', code: (error as { code?: string }).code, message: error.message });
      print({ type: 'health', poll: outcome.kind, ...health.report(Date.now()) });
      if (flags.polls > 0 && ++polls >= flags.polls) stopping?.();
    },
  });
  process.once('SIGINT', () => stopping?.());
  process.once('SIGTERM', () => stopping?.());
  await done;
  await loop.stop();
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${isStreetwiseError(err) ? `${err.code}: ` : ''}${(err as Error).message}\n`);
    process.exitCode = isStreetwiseError(err, 'SW_CONNECTOR_FLAGS_INVALID') ? 2 : 1;
  },
);
