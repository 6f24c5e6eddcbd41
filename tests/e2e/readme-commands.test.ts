/**
 * Every command of the README's quick start and "Other commands" table, as written, in a fresh clone of this
 * repository (its HEAD: committed work only) right after `npm install`, in the README's order.
 *
 * The commands are read from the README, so a new command without a case here fails. Each case says how it
 * runs: `real` (the command itself, answers checked), or `help` (the same command with `--help`, or `--check`
 * for the edge agent) for the ones that run until stopped or for minutes, with the reason. `npm start` runs
 * for real in stack.test.ts.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SOURCE_REPO = spawnSync('git', ['rev-parse', '--show-toplevel'], { cwd: import.meta.dirname, encoding: 'utf8' }).stdout.trim();
const README = readFileSync(join(SOURCE_REPO, 'README.md'), 'utf8');

/** The text of one `## heading` section of the README. */
function section(heading: string): string {
  const start = README.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README has no "## ${heading}" section`);
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

/** Commands of the quick start's sh blocks (comments dropped), then the first column of "Other commands". */
export function readmeCommands(): string[] {
  const quickStart = [...section('Quick start').matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) =>
    m[1]!.split('\n').map((line) => line.replace(/\s+#.*$/, '').trim()).filter((line) => line !== ''),
  );
  const table = [...section('Other commands').matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]!.replace(/\\\|/g, '|'));
  return [...quickStart, ...table];
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let work = '';
let repo = '';

/** Run a shell command line in the clone, as a user would type it. */
function sh(command: string, timeoutMs = 540_000): Promise<Run> {
  // Not the outer npm's or vitest's variables: the clone's npm must read its own config, as on a user's shell.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|VITEST|NODE_ENV$|NODE_OPTIONS$)/i.test(k)));
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', command], { cwd: repo, env: { ...env, npm_config_prefer_offline: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`\`${command}\` did not finish within ${timeoutMs / 1000} s\n${stdout.slice(-2000)}\n${stderr.slice(-2000)}`));
    }, timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Run and expect exit status 0, showing the output when not. */
async function ok(command: string, timeoutMs?: number): Promise<Run> {
  const run = await sh(command, timeoutMs);
  expect(run.code, `\`${command}\` exited ${run.code}\nstdout: ${run.stdout.slice(-3000)}\nstderr: ${run.stderr.slice(-3000)}`).toBe(0);
  return run;
}

/** A two-day series at 5-minute steps that repeats every day, so historical average is exactly right. */
function periodicSeriesCsv(): string {
  const startMs = Date.UTC(2026, 10, 2, 16, 0);
  const rows = ['timestamp,speed,flow'];
  for (let i = 0; i < 2 * 288; i++) {
    const peak = Math.exp(-(((i % 288) / 12 - 16.5) ** 2) / 2);
    rows.push(`${new Date(startMs + i * 300_000).toISOString()},${(50 - 15 * peak).toFixed(1)},${Math.round(40 + 60 * peak)}`);
  }
  return `${rows.join('\n')}\n`;
}

/** A plain grey picture: the shipped detector finds nothing in it. */
async function grey(path: string): Promise<void> {
  await sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 128, g: 128, b: 128 } } }).jpeg().toFile(path);
}

type Case = { how: 'real' | 'help'; why: string; run: () => Promise<void> };

const CASES: Record<string, Case> = {
  'npm install && npm start': {
    how: 'help',
    why: '`npm start` runs until Ctrl-C; stack.test.ts runs it for real. `npm install` ran for real in the first test',
    run: async () => {
      const { stdout } = await ok('npm start -- --help');
      for (const flag of ['--port', '--mqtt-url', '--database-url', '--sim-devices']) expect(stdout).toContain(flag);
    },
  },
  'npm run setup': {
    how: 'real',
    why: 'installs nothing when every tool is there (npm test checked that first), so it is quick',
    run: async () => {
      const { stdout } = await ok('npm run setup');
      expect(stdout).toMatch(/check-tools: all \d+ OS tools and services the tests use are here/);
    },
  },
  'npm install && npm test': {
    how: 'help',
    why: 'the whole suite is the run this test belongs to; with --help it still runs npm install, the tool check and the build',
    run: async () => {
      const { stdout } = await ok('npm install && npm test -- --help');
      expect(stdout).toMatch(/check-tools: all \d+ OS tools/);
      expect(stdout).toMatch(/vitest/i);
    },
  },
  'npm run simulate -- --devices 2000': {
    how: 'help',
    why: 'the fleet runs until Ctrl-C',
    run: async () => {
      const { stdout } = await ok('npm run simulate -- --help');
      expect(stdout).toContain('--devices');
    },
  },
  'npm run connect -- td --feed URL|PATH': {
    how: 'help',
    why: 'the connector runs until Ctrl-C (it publishes for real in stack-td.test.ts)',
    run: async () => {
      const { stdout } = await ok('npm run connect -- td --help');
      expect(stdout).toContain('TD_FEED / --feed');
      expect(stdout).toContain('--password-file');
    },
  },
  'npm run forecast -- --input SERIES.csv [--evaluate] [--json]': {
    how: 'real',
    why: 'a two-day series forecasts and evaluates in seconds',
    run: async () => {
      writeFileSync(join(work, 'series.csv'), periodicSeriesCsv());
      const { stdout } = await ok(`npm run forecast -- --input ${join(work, 'series.csv')} --evaluate --json`);
      // npm prints the script it runs first; the JSON is the last line.
      const out = JSON.parse(stdout.trim().split('\n').at(-1)!) as { rows: number; forecasts: Array<{ minutes: number; timestamp: string }>; horizons: Array<{ minutes: number; mae_ha: number }> };
      expect(out.rows).toBe(576);
      // The last row is 2026-11-02T16:00Z + 575 × 5 min = 2026-11-04T15:55Z.
      expect(out.forecasts.map((f) => [f.minutes, f.timestamp])).toEqual([
        [15, '2026-11-04T16:10:00.000Z'],
        [30, '2026-11-04T16:25:00.000Z'],
        [60, '2026-11-04T16:55:00.000Z'],
      ]);
      // The second day repeats the first, so the same time yesterday is exactly right.
      expect(out.horizons.map((h) => [h.minutes, h.mae_ha])).toEqual([[15, 0], [30, 0], [60, 0]]);
    },
  },
  'npm run models:evaluate -- --scenes DIR': {
    how: 'help',
    why: 'needs a rendered dataset folder; `npm run models:eval` below renders scenes and scores every detector for real',
    run: async () => {
      const { stdout } = await ok('npm run models:evaluate -- --help');
      expect(stdout).toContain('--scenes DIR');
    },
  },
  'npm run models:eval': {
    how: 'real',
    why: 'with --count 8 rendered scenes instead of 60, to stay under half a minute',
    run: async () => {
      const { stdout } = await ok('npm run models:eval -- --count 8');
      expect(stdout).toMatch(/\| \| `detector` \(simulated-scenes\) \| `yolox-nano` \(real-camera\) \|/);
      expect(stdout).toMatch(/\| rendered held-out scenes \(8\): mAP@0\.5/);
      // What a person would insist on: YOLOX finds the bus in the London street photo.
      expect(stdout).toMatch(/\| coco_000000001584\.jpg \| [^|]* \| [^|]*bus \d/);
    },
  },
  'npm run models:train [-- --smoke]': {
    how: 'help',
    why: 'training takes minutes even with --smoke, in Python with torch',
    run: async () => {
      const { stdout } = await ok('npm run models:train -- --help');
      expect(stdout).toContain('--smoke');
    },
  },
  'npm run devices -- add ID': {
    how: 'help',
    why: 'it writes a credential into the embedded database under ./data; the identity tests run add, rotate, revoke and block for real',
    run: async () => {
      const { stdout } = await ok('npm run devices -- --help');
      for (const command of ['add ID', 'rotate ID', 'revoke ID', 'block ID', 'list', 'mosquitto-config']) expect(stdout).toContain(command);
    },
  },
  'npm run bench [-- ingest|e2e|edge|analytics|db|identity|console] [--json FILE]': {
    how: 'help',
    why: 'each suite loads data and measures for minutes',
    run: async () => {
      const { stdout } = await ok('npm run bench -- --help');
      const known = /\[([a-z0-9_|-]+) \.\.\.\]/.exec(stdout)?.[1]?.split('|') ?? [];
      // Every suite the README names exists.
      for (const suite of ['ingest', 'e2e', 'edge', 'analytics', 'db', 'identity', 'console']) expect(known).toContain(suite);
    },
  },
  'npm run soak -- --minutes 30 [--rate 1000]': {
    how: 'help',
    why: 'it runs for half an hour; tests/e2e/soak-smoke.test.ts runs its 2-minute version for real',
    run: async () => {
      const { stdout } = await ok('npm run soak -- --help');
      for (const option of ['--minutes', '--rate', '--warmup', '--heap-slope-max', '--out']) expect(stdout).toContain(option);
    },
  },
  'npm run faults -- [--scale 10] [--only NAME,NAME]': {
    how: 'help',
    why: 'at scale 10 it runs for many minutes; its scenarios run at scale 1 in npm test (ingest-faults, ingest-loss, ingest-private-postgres-outage, console-node-failover)',
    run: async () => {
      const { stdout } = await ok('npm run faults -- --help');
      for (const text of ['--scale N', '--only a,b', '--json FILE', '--markdown FILE', 'broker-restart', 'device-offline', 'ingest-sigkill', 'database-outage', 'console-failover']) expect(stdout).toContain(text);
      const bad = await sh('npm run faults -- --scale 0');
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('--scale | 0 | a whole number from 1 to 100');
    },
  },
  'npm run screenshots': {
    how: 'help',
    why: 'it runs the whole stack with the simulated fleet for minutes and rewrites docs/images/',
    run: async () => {
      const { stdout } = await ok('npm run screenshots -- --help');
      for (const flag of ['--out DIR', '--incidents N', '1400×900']) expect(stdout).toContain(flag);
    },
  },
  'npm run users -- add NAME --role operator': {
    how: 'help',
    why: 'it writes a user into the embedded database under ./data; users-cli.test.ts runs add, list, set-role, disable and reset-password for real',
    run: async () => {
      const { stdout } = await ok('npm run users -- --help');
      for (const command of ['add NAME --role ROLE', 'list', 'set-role', 'disable', 'reset-password', 'export NAME', 'erase NAME']) expect(stdout).toContain(command);
    },
  },
  'npx streetwise-edge --config device.yaml': {
    how: 'help',
    why: 'the agent runs until stopped: run with --check, which loads and validates the same file; `detect` runs for real',
    run: async () => {
      const yaml = [
        'device: { id: cam-readme, location: { lat: 22.2819, lon: 114.1582 } }',
        'detector: { model: models/detector.onnx }',
        'cameras:',
        '  cam-1:',
        '    source: { kind: images, path: frames, fps: 1 }',
        '    frame: { width: 320, height: 240 }',
        '    lines: [{ name: stop-line, from: [0, 200], to: [320, 200] }]',
        '',
      ].join('\n');
      // Paths in the file are relative to it: models/detector.onnx of the clone, and a folder of one grey frame.
      mkdirSync(join(repo, 'frames'));
      await grey(join(repo, 'frames', 'grey.jpg'));
      writeFileSync(join(repo, 'device.yaml'), yaml);
      const check = await ok('npx streetwise-edge --config device.yaml --check');
      expect(check.stdout.trim()).toBe('device.yaml: valid (device cam-readme, 1 cameras, 0 sensors)');
      const detect = await ok('npx streetwise-edge detect --model models/detector.onnx frames/grey.jpg --json');
      expect(JSON.parse(detect.stdout)).toMatchObject({ width: 320, height: 240, detections: [] });
    },
  },
  'node ingest/dist/main.js --help': {
    how: 'real',
    why: 'as written; runs the build that `npm start` made above',
    run: async () => {
      const { stdout } = await ok('node ingest/dist/main.js --help');
      expect(stdout).toContain('MQTT_URL');
    },
  },
  'npm run ingest:drain -- --client-id ID': {
    how: 'help',
    why: 'it needs a broker holding a dead worker\'s sessions and a database server; ingest-scale-out.test.ts runs the drain for real',
    run: async () => {
      const { stdout } = await ok('npm run ingest:drain -- --help');
      for (const setting of ['INGEST_CLIENT_ID / --client-id', 'INGEST_CONNECTIONS', 'MQTT_URL', 'DATABASE_URL', 'DRAIN_IDLE_MS']) expect(stdout).toContain(setting);
    },
  },
  'node console/dist/main.js --help': {
    how: 'real',
    why: 'as written; runs the build that `npm start` made above',
    run: async () => {
      const { stdout } = await ok('node console/dist/main.js --help');
      expect(stdout).toContain('REDIS_URL');
    },
  },
};

describe('every README command works in a fresh clone', () => {
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'sw-readme-'));
    repo = join(work, 'repo');
    const clone = spawnSync('git', ['clone', '--quiet', SOURCE_REPO, repo], { encoding: 'utf8' });
    if (clone.status !== 0) throw new Error(`git clone failed: ${clone.stderr}`);
  });
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('has a case for each README command, and none for a command the README no longer has', () => {
    // The cases run in the README's order (the loop below); here only which commands have one matters.
    expect(Object.keys(CASES).sort()).toEqual(readmeCommands().sort());
  });

  it('`.ci/run` is `npm run setup` and the README test line, nothing more', () => {
    const lines = readFileSync(join(SOURCE_REPO, '.ci', 'run'), 'utf8').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
    expect(lines).toEqual(['set -euo pipefail', 'cd "$(dirname "$0")/.."', ...readmeCommands().filter((c) => c.includes('npm test') || c === 'npm run setup')]);
  });

  it('npm install links every workspace bin, leaves the lockfile as it is, and `npx streetwise-edge` builds itself on first use', async () => {
    await ok('npm install');
    expect(spawnSync('git', ['status', '--porcelain'], { cwd: repo, encoding: 'utf8' }).stdout).toBe('');
    for (const bin of ['streetwise', 'streetwise-console', 'streetwise-edge', 'streetwise-simulate']) expect(existsSync(join(repo, 'node_modules', '.bin', bin)), bin).toBe(true);
    expect(existsSync(join(repo, 'edge-agent', 'dist', 'cli.js'))).toBe(false);
    const run = await ok('npx streetwise-edge --help');
    expect(run.stderr).toMatch(/streetwise-edge is not built yet: building it once/);
    expect(run.stdout).toContain('streetwise-edge detect --model');
    expect((await ok('npx streetwise-edge --help')).stderr).not.toMatch(/building/);
  }, 600_000);

  for (const command of readmeCommands()) {
    const testCase = CASES[command];
    it(`${command}  (${testCase ? `${testCase.how}: ${testCase.why}` : 'no case'})`, async () => {
      if (!testCase) throw new Error(`README command \`${command}\` has no case in tests/e2e/readme-commands.test.ts: add one`);
      await testCase.run();
    }, 600_000);
  }
});
