import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { SW_CONNECTOR_REPLAY_EMPTY } from '../errors.js';
import type { Feed, FeedPeriod, FeedProblem, SiteReading } from '../feed.js';
import { PeriodTracker } from './period-tracker.js';

export interface ReplayOptions<R extends SiteReading> {
  feed: Feed<R>;
  /** One snapshot file, or a folder whose .xml files are read in name order. */
  path: string;
  /** Now, ms: the newest period of the whole replay is re-timed to end here. */
  nowMs: number;
}

export interface ReplayedSnapshot<R extends SiteReading> {
  file: string;
  /** New periods of this file (a period repeated from the previous file is passed on once), re-timed. */
  periods: Array<FeedPeriod<R>>;
  problems: FeedProblem[];
  /** Set when the file could not be read at all (SW_CONNECTOR_FEED_UNREADABLE); the replay goes on. */
  error?: Error;
}

export async function listSnapshotFiles(feedName: string, path: string): Promise<string[]> {
  const info = await stat(path);
  if (info.isFile()) return [path];
  const names = (await readdir(path)).filter((name) => name.toLowerCase().endsWith('.xml')).sort();
  if (names.length === 0) throw SW_CONNECTOR_REPLAY_EMPTY([feedName, path, 'a folder without .xml files']);
  return names.map((name) => join(path, name));
}

/**
 * Replay saved snapshots as if they were published now. They are older than the protocol's 30-day window, so
 * every period is shifted by one amount (now minus the newest period end of the whole replay), which keeps the
 * spacing between periods; each period keeps its published times in originalStartMs/originalEndMs. Periods
 * are checked against the future with their published times, so an old file is never refused as future.
 */
export async function replaySnapshots<R extends SiteReading>(options: ReplayOptions<R>): Promise<Array<ReplayedSnapshot<R>>> {
  const { feed, nowMs } = options;
  const files = await listSnapshotFiles(feed.name, options.path).catch((err: unknown) => {
    if ((err as { code?: string }).code === 'ENOENT') throw SW_CONNECTOR_REPLAY_EMPTY([feed.name, options.path, 'no such file or folder'], { cause: err });
    throw err;
  });
  const tracker = new PeriodTracker(Number.POSITIVE_INFINITY);
  const read: Array<ReplayedSnapshot<R>> = [];
  for (const file of files) {
    try {
      const snapshot = feed.read(await readFile(file), { nowMs, source: file });
      read.push({ file, periods: tracker.fresh(snapshot.periods), problems: snapshot.problems });
    } catch (err) {
      read.push({ file, periods: [], problems: [], error: err as Error });
    }
  }
  const newestEndMs = Math.max(...read.flatMap((r) => r.periods.map((p) => p.endMs)));
  const shiftMs = Number.isFinite(newestEndMs) ? nowMs - newestEndMs : 0;
  return read.map((r) => ({
    ...r,
    periods: r.periods.map((period) => ({
      ...period,
      startMs: period.startMs + shiftMs,
      endMs: period.endMs + shiftMs,
      originalStartMs: period.originalStartMs ?? period.startMs,
      originalEndMs: period.originalEndMs ?? period.endMs,
    })),
  }));
}
