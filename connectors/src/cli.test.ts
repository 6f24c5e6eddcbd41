import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { isStreetwiseError } from '@streetwise/errors';
import { parseCliFlags } from './cli-flags.js';
import { startTestFeedServer } from './testing/feed-server.js';
import type { TestFeedServer } from './testing/feed-server.js';

// The built program (dist), as a person runs it; `npm test` builds first.
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const SNAPSHOT = fileURLToPath(new URL('../data/hk/td_raw_speed_volume_2024-04-06_2127.xml', import.meta.url));
const run = promisify(execFile);
const lines = (stdout: string): Array<Record<string, unknown>> => stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);

let server: TestFeedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('connector program', () => {
  it('replays the snapshot: one line per period with its totals, then the health', async () => {
    const { stdout } = await run(process.execPath, [CLI, '--replay', SNAPSHOT]);
    const out = lines(stdout);
    // Total volume over valid lanes per period, 7,952 and 7,932, also summed independently with Python's
    // xml.etree over the same file when this test was written.
    expect(out.map((line) => [line.type, line.detectors, line.volume, line.lanesInvalid, line.publishedEndUtc])).toEqual([
      ['period', 752, 7952, 116, '2024-04-06T13:27:30.000Z'],
      ['period', 754, 7932, 116, '2024-04-06T13:28:00.000Z'],
      ['health', undefined, undefined, undefined, undefined],
    ]);
    expect(Date.parse(out[1]!.endUtc as string) - Date.parse(out[0]!.endUtc as string)).toBe(30_000);
    expect(out[2]).toMatchObject({ feed: 'ok', sites: { live: 754, stale: [], offline: [] } });
  });

  it('polls a URL: the file, then 304', async () => {
    server = await startTestFeedServer({ kind: 'file', body: readFileSync(SNAPSHOT), etag: '"x"', lastModified: 'Sat, 06 Apr 2024 13:28:05 GMT' });
    const { stdout } = await run(process.execPath, [CLI, '--url', server.url, '--polls', '2', '--period-s', '1']);
    const out = lines(stdout);
    expect(out.map((line) => [line.type, line.poll ?? line.detectors])).toEqual([
      ['period', 752],
      ['period', 754],
      ['health', 'snapshot'],
      ['health', 'not_modified'],
    ]);
    // A snapshot from 2024 read today: the feed is stale, a warning, not a crash.
    expect(out[3]).toMatchObject({ feed: 'stale' });
    expect(server.statuses).toEqual([200, 304]);
  });

  it('bad flags: every problem listed, exit code 2', async () => {
    const failed = await run(process.execPath, [CLI, '--url', 'ftp://x', '--polls', '-1']).then(
      () => undefined,
      (err: unknown) => err as { code: number; stderr: string },
    );
    expect(failed?.code).toBe(2);
    expect(failed?.stderr).toBe('SW_CONNECTOR_FLAGS_INVALID: invalid flags (flag | value | expected):\n--polls | -1 | a whole number from 0 to 1000000\n--url | ftp://x | an http:// or https:// URL\n');
  });

  it('parses flags with their defaults', () => {
    expect(parseCliFlags(['--replay', 'saved/'])).toEqual({ url: undefined, replay: 'saved/', periodS: 30, polls: 0, help: false });
    expect(parseCliFlags(['--help']).help).toBe(true);
    let caught: unknown;
    try {
      parseCliFlags(['--url', 'http://a/x.xml', '--replay', 'b']);
    } catch (err) {
      caught = err;
    }
    expect(isStreetwiseError(caught, 'SW_CONNECTOR_FLAGS_INVALID')).toBe(true);
  });
});
