/**
 * What the edge bench feeds the agent: 1280×720 JPEG frames made from the real photos in tests/fixtures/photos
 * (street scenes: the real-street model finds people and vehicles in them, so NMS, tracking and rules do real
 * work), and the real agent process's resident memory running a model on them.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Frame, RulesConfig } from '@streetwise/edge-agent';

export const FRAME_WIDTH = 1280;
export const FRAME_HEIGHT = 720;

/** `count` 1280×720 JPEG frames (quality 80): each photo cropped to 16:9 at three positions, in turn. */
export async function makeFrames(repo: string, count: number): Promise<Frame[]> {
  const dir = join(repo, 'tests/fixtures/photos');
  const photos = readdirSync(dir).filter((f) => f.endsWith('.jpg')).sort();
  const positions = ['centre', 'top', 'bottom'] as const;
  const frames: Frame[] = [];
  for (let i = 0; i < count; i++) {
    const data = await sharp(join(dir, photos[i % photos.length]!))
      .resize(FRAME_WIDTH, FRAME_HEIGHT, { fit: 'cover', position: positions[Math.floor(i / photos.length) % positions.length] })
      .jpeg({ quality: 80 })
      .toBuffer();
    frames.push({ kind: 'encoded', data });
  }
  return frames;
}

export const RULES: RulesConfig = {
  lines: [{ name: 'stop-line', from: [0, 500], to: [1280, 500], directions: { in: 'southbound', out: 'northbound' } }],
  zones: [{ name: 'crossing', polygon: [[400, 300], [880, 300], [880, 600], [400, 600]], classes: ['person'], loiterS: 30 }],
  lanes: [{ name: 'lane-1', polygon: [[0, 200], [640, 200], [640, 720], [0, 720]], headingDeg: 0, queue: { minVehicles: 5 } }],
};

/**
 * Run the agent CLI on the frames (MQTT unreachable: it works offline) for `seconds` and sample its RSS.
 * `model` undefined: the config names no model, so the agent loads the manifest's real-camera detector.
 */
export async function agentRssMb(repo: string, model: string | undefined, frames: Frame[], seconds: number): Promise<{ peakMb: number; lastMb: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'sw-edge-bench-'));
  try {
    mkdirSync(join(dir, 'frames'));
    frames.forEach((f, i) => writeFileSync(join(dir, 'frames', `f${String(i).padStart(3, '0')}.jpg`), f.kind === 'encoded' ? f.data : Buffer.alloc(0)));
    const config = {
      device: { id: 'bench-1', location: { lat: 22.28, lon: 114.16 } },
      mqtt: { url: 'mqtt://127.0.0.1:9', healthIntervalS: 0 },
      outbox: { dir: join(dir, 'outbox'), fsync: 'never' },
      detector: { ...(model ? { model } : {}), modelDir: join(dir, 'models') },
      cameras: {
        cam: { source: { kind: 'images', path: join(dir, 'frames'), fps: 0 }, frame: { width: FRAME_WIDTH, height: FRAME_HEIGHT }, lines: RULES.lines, zones: RULES.zones, lanes: RULES.lanes },
      },
      logLevel: 'silent',
    };
    writeFileSync(join(dir, 'device.json'), JSON.stringify(config));
    // Run it as the bin runs: with the node flags of its shebang line.
    const cli = join(repo, 'edge-agent/dist/cli.js');
    const nodeFlags = (readFileSync(cli, 'utf8').split('\n')[0]!.match(/ node (.*)$/)?.[1] ?? '').split(' ').filter(Boolean);
    const child = spawn(process.execPath, [...nodeFlags, cli, '--config', join(dir, 'device.json')], { stdio: ['ignore', 'ignore', 'inherit'] });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const vm = (key: string) => Number(/(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(key)) ?? '')?.[1] ?? 0) / 1024;
    let lastMb = 0;
    for (let i = 0; i < seconds * 4; i++) {
      await new Promise((r) => setTimeout(r, 250));
      if (child.exitCode !== null) throw new Error(`the agent exited early (${child.exitCode})`);
      lastMb = vm('VmRSS:');
    }
    const peakMb = vm('VmHWM:');
    child.kill('SIGTERM');
    await exited;
    return { peakMb: Math.round(peakMb * 10) / 10, lastMb: Math.round(lastMb * 10) / 10 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
