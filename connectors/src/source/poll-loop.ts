import type { Feed, FeedPeriod, FeedProblem, SiteReading } from '../feed.js';
import type { FeedHealth } from './feed-health.js';
import type { HttpPoller, PollOutcome } from './http-poller.js';
import { PeriodTracker } from './period-tracker.js';

export interface PollLoopOptions<R extends SiteReading> {
  feed: Feed<R>;
  poller: HttpPoller;
  health: FeedHealth;
  /** New periods (each passed on once) and the problems of the snapshot they came in. */
  onPeriods: (periods: Array<FeedPeriod<R>>, problems: FeedProblem[]) => void | Promise<void>;
  /** Every poll's outcome and any error, after the health model has taken it in (for logs and tests). */
  onPoll?: (outcome: PollOutcome, error?: Error) => void;
  now?: () => number;
}

export interface PollLoop {
  /** Stop polling; resolves when a poll in flight has finished. */
  stop(): Promise<void>;
}

/**
 * Poll, read, pass new periods on, wait, again. Nothing here ends the loop but stop(): a failed fetch backs
 * off, an unreadable snapshot or a failing consumer is recorded in the health model and the next poll goes on.
 */
export function startPollLoop<R extends SiteReading>(options: PollLoopOptions<R>): PollLoop {
  const { feed, poller, health, onPeriods, onPoll } = options;
  const now = options.now ?? Date.now;
  const tracker = new PeriodTracker();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();

  const tick = async (): Promise<void> => {
    const outcome = await poller.pollOnce();
    let error: Error | undefined;
    if (outcome.kind === 'failed') {
      error = outcome.error;
      health.recordFailure(error);
    } else if (outcome.kind === 'snapshot') {
      try {
        const snapshot = feed.read(outcome.bytes, { nowMs: now(), source: poller.url });
        const periods = tracker.fresh(snapshot.periods);
        health.observe(periods);
        health.recordSuccess();
        await onPeriods(periods, snapshot.problems);
      } catch (err) {
        error = err as Error;
        health.recordFailure(error);
      }
    } else health.recordSuccess();
    onPoll?.(outcome, error);
  };

  const schedule = (delayMs: number): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      inFlight = tick()
        .catch((err: unknown) => health.recordFailure(err as Error))
        .finally(() => schedule(poller.nextDelayMs()));
    }, delayMs);
  };
  schedule(0);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await inFlight;
    },
  };
}
