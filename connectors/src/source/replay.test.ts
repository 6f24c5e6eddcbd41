import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isStreetwiseError } from '@streetwise/errors';
import { createTdFeed } from '../td/td-feed.js';
import { shiftTdSnapshot } from '../testing/shift-snapshot.js';
import { replaySnapshots } from './replay.js';

const SNAPSHOT = fileURLToPath(new URL('../../data/hk/td_raw_speed_volume_2024-04-06_2127.xml', import.meta.url));
const TEXT = readFileSync(SNAPSHOT, 'utf8');
const feed = createTdFeed();
const NOW_MS = Date.UTC(2026, 11, 5, 8, 0, 0);

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sw-replay-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function replayError(path: string): Promise<unknown> {
  try {
    await replaySnapshots({ feed, path, nowMs: NOW_MS });
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('replay of saved snapshots', () => {
  it('re-times a folder to now, keeps the published times, passes a repeated period on once, and skips a broken file', async () => {
    await writeFile(join(dir, '2024-04-06_212700.xml'), TEXT);
    await writeFile(join(dir, '2024-04-06_212730.xml'), shiftTdSnapshot(TEXT, 30));
    await writeFile(join(dir, '2024-04-06_212800.xml'), '<html>not a snapshot</html>');
    await writeFile(join(dir, 'notes.txt'), 'not read');
    const replayed = await replaySnapshots({ feed, path: dir, nowMs: NOW_MS });
    expect(replayed.map((r) => r.file.slice(dir.length + 1))).toEqual(['2024-04-06_212700.xml', '2024-04-06_212730.xml', '2024-04-06_212800.xml']);
    const periods = replayed.flatMap((r) => r.periods);
    // Published ends 13:27:30Z, 13:28:00Z, 13:28:30Z; the newest is moved to now, the others keep their 30-s steps.
    expect(periods.map((p) => p.originalEndMs)).toEqual([Date.UTC(2024, 3, 6, 13, 27, 30), Date.UTC(2024, 3, 6, 13, 28, 0), Date.UTC(2024, 3, 6, 13, 28, 30)]);
    expect(periods.map((p) => p.endMs)).toEqual([NOW_MS - 60_000, NOW_MS - 30_000, NOW_MS]);
    expect(periods.map((p) => p.endMs - p.startMs)).toEqual([30_000, 30_000, 30_000]);
    expect(periods.map((p) => p.readings.length)).toEqual([752, 754, 754]);
    expect(replayed[2]!.periods).toEqual([]);
    expect(isStreetwiseError(replayed[2]!.error, 'SW_CONNECTOR_FEED_UNREADABLE')).toBe(true);
  });

  it('replays one file', async () => {
    const replayed = await replaySnapshots({ feed, path: SNAPSHOT, nowMs: NOW_MS });
    expect(replayed.flatMap((r) => r.periods.map((p) => p.endMs))).toEqual([NOW_MS - 30_000, NOW_MS]);
    expect(replayed[0]!.problems).toEqual([]);
  });

  it('a missing path or a folder without snapshots is one clear error', async () => {
    for (const path of [join(dir, 'nope'), dir]) {
      const err = await replayError(path);
      expect(isStreetwiseError(err, 'SW_CONNECTOR_REPLAY_EMPTY'), path).toBe(true);
      expect((err as Error).message).toContain(`feed hk-td-speed-volume: replay path ${path} holds no snapshot files`);
    }
  });
});
