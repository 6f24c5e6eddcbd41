/**
 * Edge bench: the camera pipeline (decode → letterbox → infer → decode+NMS → track → rules) at 320×320 on one
 * inference thread, against bare session.run of the same model in the same process, plus RSS.
 * Targets (issue 3): pipeline ≥ 25 fps, pipeline ≤ 1.3 × bare inference, RSS ≤ 200 MB.
 *
 * Model: EDGE_BENCH_MODEL, else models/detector.onnx, else an untrained model of the same architecture
 * generated with Debian's /usr/bin/python3 (edge-agent/scripts/make-bench-model.py).
 */
import { execFileSync } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import {
  ByteTracker,
  CameraPipeline,
  RuleEngine,
  TrafficReporter,
  createGeneratorSource,
  createOnnxDetector,
  tuneForSmallCpu,
  type Detection,
  type Frame,
  type RulesConfig,
} from '@streetwise/edge-agent';
import type { BenchOptions, Figure, SuiteResult } from './main.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const FRAMES_PER_ROUND = 20;
const ROUNDS = 12;
const AGENT_RSS_SECONDS = 8;

function modelPath(progress: (m: string) => void): string {
  if (process.env.EDGE_BENCH_MODEL) return process.env.EDGE_BENCH_MODEL;
  const shipped = join(repo, 'models/detector.onnx');
  if (existsSync(shipped)) return shipped;
  const cached = join(tmpdir(), 'streetwise-bench', 'bench-detector.onnx');
  if (!existsSync(cached)) {
    progress('no models/detector.onnx yet: generating an untrained model of the same architecture');
    mkdirSync(dirname(cached), { recursive: true });
    execFileSync('/usr/bin/python3', [join(repo, 'edge-agent/scripts/make-bench-model.py'), cached], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return cached;
}

/** 640×360 JPEG street-like frames: grey road, a few coloured blocks that move frame to frame. */
async function makeFrames(count: number): Promise<Frame[]> {
  const frames: Frame[] = [];
  for (let i = 0; i < count; i++) {
    const blocks = await Promise.all(
      [0, 1, 2, 3, 4, 5].map(async (k) => ({
        input: await sharp({ create: { width: 40 + k * 6, height: 30 + k * 4, channels: 3, background: { r: 40 * k, g: 200 - 30 * k, b: 90 } } }).png().toBuffer(),
        left: (40 + k * 90 + i * 7) % 580,
        top: 120 + ((k * 37) % 180),
      })),
    );
    const data = await sharp({ create: { width: 640, height: 360, channels: 3, background: { r: 105, g: 108, b: 112 } } }).composite(blocks).jpeg({ quality: 80 }).toBuffer();
    frames.push({ kind: 'encoded', data });
  }
  return frames;
}

const RULES: RulesConfig = {
  lines: [{ name: 'stop-line', from: [0, 250], to: [640, 250], directions: { in: 'southbound', out: 'northbound' } }],
  zones: [{ name: 'crossing', polygon: [[200, 150], [440, 150], [440, 300], [200, 300]], classes: ['person'], loiterS: 30 }],
  lanes: [{ name: 'lane-1', polygon: [[0, 100], [320, 100], [320, 360], [0, 360]], headingDeg: 0, queue: { minVehicles: 5 } }],
};

/** Run the agent CLI on the bench model and frames (MQTT unreachable: it works offline) and sample its RSS. */
async function agentRssMb(model: string, frames: Frame[]): Promise<{ peakMb: number; lastMb: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'sw-edge-bench-'));
  try {
    mkdirSync(join(dir, 'frames'));
    frames.forEach((f, i) => writeFileSync(join(dir, 'frames', `f${String(i).padStart(3, '0')}.jpg`), f.kind === 'encoded' ? f.data : Buffer.alloc(0)));
    const config = {
      device: { id: 'bench-1', location: { lat: 22.28, lon: 114.16 } },
      mqtt: { url: 'mqtt://127.0.0.1:9', healthIntervalS: 0 },
      outbox: { dir: join(dir, 'outbox'), fsync: 'never' },
      detector: { model, modelDir: join(dir, 'models') },
      cameras: { cam: { source: { kind: 'images', path: join(dir, 'frames'), fps: 0 }, frame: { width: 640, height: 360 }, lines: RULES.lines, zones: RULES.zones, lanes: RULES.lanes } },
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
    for (let i = 0; i < AGENT_RSS_SECONDS * 4; i++) {
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

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function run(options: BenchOptions): Promise<SuiteResult> {
  const { progress } = options;
  tuneForSmallCpu();
  const path = modelPath(progress);
  progress(`model ${path}`);
  const detector = await createOnnxDetector({ modelPath: path, threads: 1 });
  const frames = await makeFrames(16);
  const inputName = detector.session.inputNames[0]!;

  /** Per-run times are kept too: on a shared machine the median resists preemption, the mean does not. */
  const bareRuns: number[] = [];
  const bare = async (n: number) => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const r0 = performance.now();
      const out = await detector.session.run({ [inputName]: detector.input });
      for (const t of Object.values(out)) t.dispose();
      bareRuns.push(performance.now() - r0);
    }
    return (performance.now() - t0) / n;
  };
  const frameIntervals: number[] = [];

  let detectionsSeen = 0;
  /** ms per frame in steady state: from the first frame's end to the last's (the first has nothing to overlap with). */
  const pipeline = async (n: number, prefetch: boolean, input: Frame[] = frames) => {
    let i = 0;
    let firstDone = 0;
    let lastDone = 0;
    let done = 0;
    const source = createGeneratorSource('bench', () => (i < n ? { ...input[i++ % input.length]!, capturedAt: Date.now() } : undefined));
    const p = new CameraPipeline({
      name: 'bench',
      source,
      detector,
      tracker: new ByteTracker(),
      rules: new RuleEngine(RULES),
      traffic: new TrafficReporter({ approaches: ['stop-line'] }),
      prefetch,
      onFrame: (c) => {
        detectionsSeen += c.result.detections.length;
        const now = performance.now();
        if (done > 0 && recordIntervals) frameIntervals.push(now - lastDone);
        lastDone = now;
        if (++done === 1) firstDone = lastDone;
      },
    });
    await p.run();
    return { msPerFrame: (lastDone - firstDone) / (n - 1), stats: p.stats() };
  };

  let recordIntervals = false;
  progress('warming up');
  await bare(20);
  await pipeline(20, true);
  bareRuns.length = 0;
  recordIntervals = true;
  const bareMs: number[] = [];
  const pipeMs: number[] = [];
  const ratios: number[] = [];
  let stats: Awaited<ReturnType<typeof pipeline>>['stats'] | undefined;
  detectionsSeen = 0;
  for (let r = 0; r < ROUNDS; r++) {
    if (r % 4 === 0) progress(`rounds ${r + 1}–${Math.min(ROUNDS, r + 4)} of ${ROUNDS}: bare inference, then the pipeline (${FRAMES_PER_ROUND} frames each)`);
    // Alternate in short rounds: on a shared machine the load drifts, and each ratio compares neighbours.
    bareMs.push(await bare(FRAMES_PER_ROUND));
    const p = await pipeline(FRAMES_PER_ROUND, true);
    pipeMs.push(p.msPerFrame);
    ratios.push(p.msPerFrame / bareMs.at(-1)!);
    stats = p.stats;
  }
  const detectionsPerFrame = detectionsSeen / (ROUNDS * FRAMES_PER_ROUND);
  recordIntervals = false;
  const bareP50 = median(bareRuns);
  const pipeP50 = median(frameIntervals);
  progress('raw RGB frames (what the RTSP source hands over: ffmpeg decodes in its own process), 4 alternating rounds');
  const rawFrames: Frame[] = await Promise.all(
    frames.map(async (f) => {
      const { data, info } = await sharp(f.kind === 'encoded' ? f.data : Buffer.alloc(0)).raw().toBuffer({ resolveWithObject: true });
      return { kind: 'raw' as const, data, width: info.width, height: info.height, channels: 3 as const };
    }),
  );
  const rawRatios: number[] = [];
  const rawMs: number[] = [];
  for (let r = 0; r < 4; r++) {
    const b = await bare(FRAMES_PER_ROUND);
    const p = await pipeline(FRAMES_PER_ROUND, true, rawFrames);
    rawMs.push(p.msPerFrame);
    rawRatios.push(p.msPerFrame / b);
  }
  progress('the pipeline without prefetch (decode not overlapped), for comparison');
  const serial = await pipeline(FRAMES_PER_ROUND, false);

  progress('tracker + rules with 50 objects per frame');
  const tracker = new ByteTracker();
  const rules = new RuleEngine(RULES);
  const objects = (f: number): Detection[] =>
    Array.from({ length: 50 }, (_, k) => {
      const x = (k % 10) * 64 + ((f * (1 + (k % 3))) % 60);
      const y = Math.floor(k / 10) * 70 + 10;
      return { class: k % 4 === 0 ? 'person' : 'car', classId: 0, score: 0.8, box: [x, y, x + 30, y + 25] };
    });
  const t0 = performance.now();
  for (let f = 0; f < 300; f++) {
    const out = tracker.update(objects(f), f * 100);
    rules.update({ t: f * 100, ...out });
  }
  const trackRules50 = (performance.now() - t0) / 300;
  await detector.dispose();
  progress(`resident memory of the real agent (streetwise-edge --config) running this model flat out for ${AGENT_RSS_SECONDS} s`);
  const agentRss = await agentRssMb(path, frames);

  const load = loadavg()[0]!;
  const bareMedian = median(bareMs);
  const pipeMedian = median(pipeMs);
  const stage = stats!.stageMsP50;
  const round = (v: number, d = 2) => Math.round(v * 10 ** d) / 10 ** d;
  const figures: Figure[] = [
    { name: 'pipeline_fps', value: round(1000 / pipeMedian, 1), unit: 'frames/s' },
    { name: 'pipeline_ms', value: round(pipeMedian), unit: 'ms/frame' },
    { name: 'bare_inference_ms', value: round(bareMedian), unit: 'ms/frame' },
    { name: 'pipeline_over_bare', value: round(median(ratios), 3), unit: '× (median of per-round ratios)' },
    { name: 'pipeline_p50_ms', value: round(pipeP50), unit: 'ms between frames (median)' },
    { name: 'bare_inference_p50_ms', value: round(bareP50), unit: 'ms per run (median)' },
    { name: 'pipeline_over_bare_p50', value: round(pipeP50 / bareP50, 3), unit: '× (medians: robust to preemption)' },
    { name: 'rss_mb', value: agentRss.peakMb, unit: 'MB (agent process, peak)' },
    { name: 'agent_rss_steady_mb', value: agentRss.lastMb, unit: 'MB (agent process, at the end)' },
    { name: 'bench_process_rss_mb', value: round(process.memoryUsage.rss() / 1048576, 1), unit: 'MB' },
    { name: 'stage_decode_ms', value: round(stage.decode ?? 0), unit: 'ms (p50, overlaps inference)' },
    { name: 'stage_letterbox_ms', value: round(stage.letterbox ?? 0), unit: 'ms (p50)' },
    { name: 'stage_infer_ms', value: round(stage.infer ?? 0), unit: 'ms (p50)' },
    { name: 'stage_nms_ms', value: round(stage.postprocess ?? 0, 3), unit: 'ms (p50, decode + NMS)' },
    { name: 'stage_track_ms', value: round(stage.track ?? 0, 3), unit: 'ms (p50)' },
    { name: 'stage_rules_ms', value: round(stage.rules ?? 0, 3), unit: 'ms (p50)' },
    { name: 'pipeline_raw_ms', value: round(median(rawMs)), unit: 'ms/frame (raw RGB frames, RTSP path)' },
    { name: 'pipeline_raw_over_bare', value: round(median(rawRatios), 3), unit: '× (raw RGB frames)' },
    { name: 'pipeline_serial_ms', value: round(serial.msPerFrame), unit: 'ms/frame (no prefetch)' },
    { name: 'detections_per_frame', value: round(detectionsPerFrame, 1), unit: 'detections' },
    { name: 'track_rules_ms_50_objects', value: round(trackRules50, 3), unit: 'ms/frame' },
    // The machine is shared: with more runnable threads than cores, decode can no longer hide behind inference.
    { name: 'load_avg_1m', value: round(load, 2), unit: `runnable threads (machine has ${cpus().length} cores)` },
  ];
  return { suite: 'edge', figures };
}
