import { performance } from 'node:perf_hooks';
import { LatencyWindow } from '../detect/latency-window.js';
import type { PreparedFrame } from '@streetwise/inference';
import type { DetectResult, Detector, Frame } from '../detect/types.js';
import type { RuleEngine } from '../rules/engine.js';
import type { Crossing, RuleEvent } from '../rules/types.js';
import type { FrameSource } from '../sources/types.js';
import { ByteTracker, type TrackerOutput } from '../track/byte-tracker.js';
import type { TrafficReporter, TrafficTelemetry } from '../traffic/traffic-reporter.js';

/** What a rule event was raised on: the frame and what was seen in it (for snapshots). */
export interface FrameContext {
  frame: Frame;
  result: DetectResult;
  tracks: TrackerOutput;
  t: number;
}

export interface CameraPipelineOptions {
  name: string;
  source: FrameSource;
  detector: Detector;
  tracker?: ByteTracker;
  rules?: RuleEngine;
  traffic?: TrafficReporter;
  onEvents?: (events: RuleEvent[], context: FrameContext) => void | Promise<void>;
  onTelemetry?: (telemetry: TrafficTelemetry[]) => void;
  /** Called with the line crossings of each frame (they also go to `traffic`). */
  onCrossings?: (crossings: Crossing[]) => void;
  /** Called with each frame's result (debugging, simulators' ground-truth checks). */
  onFrame?: (context: FrameContext) => void;
  /** Decode and resize the next frame while the current one is in inference. Default true. */
  prefetch?: boolean;
  /** Clock for frames without capturedAt. Default Date.now. */
  now?: () => number;
}

export type Stage = 'decode' | 'letterbox' | 'infer' | 'postprocess' | 'track' | 'rules';
export const STAGES: readonly Stage[] = ['decode', 'letterbox', 'infer', 'postprocess', 'track', 'rules'];

export interface PipelineStats {
  frames: number;
  /** Frames per second over the last 10 s. */
  fps: number;
  inferenceMsP50?: number;
  inferenceMsP95?: number;
  /** Median ms per stage over the last 256 frames. */
  stageMsP50: Partial<Record<Stage, number>>;
}

interface Pending {
  frame: Frame;
  prepared: PreparedFrame;
  decodeMs: number;
}

/**
 * One camera: source → detect → track → rules → traffic, frame after frame. Decoding the next frame (sharp,
 * worker threads) overlaps inference of the current one (onnxruntime, main thread), so the pipeline costs
 * little more than inference itself.
 */
export class CameraPipeline {
  readonly tracker: ByteTracker;
  private rules: RuleEngine | undefined;
  private detector: Detector;
  private source: FrameSource;
  private stopped = false;
  private frames = 0;
  private readonly frameTimes: number[] = [];
  private readonly stageWindows = new Map<Stage, LatencyWindow>(STAGES.map((s) => [s, new LatencyWindow(256)]));

  constructor(readonly options: CameraPipelineOptions) {
    this.tracker = options.tracker ?? new ByteTracker();
    this.rules = options.rules;
    this.detector = options.detector;
    this.source = options.source;
  }

  /** A new source for the next run() (after the previous one failed). */
  setSource(source: FrameSource): void {
    this.source = source;
  }

  /** Swap the detector (model update); takes effect from the next frame. */
  setDetector(detector: Detector): void {
    this.detector = detector;
  }

  /** Hot reload: new rules take effect from the next frame. */
  setRules(rules: RuleEngine | undefined): void {
    this.rules = rules;
  }

  stop(): void {
    this.stopped = true;
    void this.source.close();
  }

  /** Runs until the source ends or stop() is called. */
  async run(): Promise<void> {
    const iterator = this.source.frames()[Symbol.asyncIterator]();
    const fetch = async (): Promise<Pending | undefined> => {
      const next = await iterator.next();
      if (next.done) return undefined;
      const t0 = performance.now();
      const prepared = await this.detector.prepare(next.value);
      return { frame: next.value, prepared, decodeMs: performance.now() - t0 };
    };
    const prefetch = this.options.prefetch ?? true;
    let next: Promise<Pending | undefined> | undefined = fetch();
    try {
      while (!this.stopped && next) {
        const item = await next;
        if (!item) break;
        next = prefetch ? fetch() : undefined;
        // A prefetch that fails while this frame is processed is reported when awaited, not as unhandled.
        next?.catch(() => undefined);
        await this.process(item);
        if (!prefetch) next = fetch();
      }
    } finally {
      await iterator.return?.();
    }
  }

  private async process({ frame, prepared, decodeMs }: Pending): Promise<void> {
    const detector = this.detector;
    // Prepared for a model with another input size (the model changed meanwhile): prepare again.
    if (prepared.layout.dstWidth !== detector.inputWidth || prepared.layout.dstHeight !== detector.inputHeight) prepared = await detector.prepare(frame);
    const result = await detector.run(prepared, decodeMs);
    const t = frame.capturedAt ?? this.options.now?.() ?? Date.now();
    const t0 = performance.now();
    const tracks = this.tracker.update(result.detections, t);
    const t1 = performance.now();
    let events: RuleEvent[] = [];
    if (this.rules) {
      const out = this.rules.update({ t, ...tracks });
      events = out.events;
      if (out.crossings.length > 0) this.options.onCrossings?.(out.crossings);
      if (this.options.traffic) {
        this.options.traffic.add(out.crossings);
        this.options.traffic.observe(this.rules.snapshot());
      }
    }
    const t2 = performance.now();
    this.record(result, t1 - t0, t2 - t1);
    const context: FrameContext = { frame, result, tracks, t };
    this.options.onFrame?.(context);
    if (this.options.traffic) {
      const telemetry = await this.options.traffic.tick(t);
      if (telemetry.length > 0) this.options.onTelemetry?.(telemetry);
    }
    if (events.length > 0) await this.options.onEvents?.(events, context);
  }

  private record(result: DetectResult, trackMs: number, rulesMs: number): void {
    this.frames++;
    const now = performance.now();
    this.frameTimes.push(now);
    while (this.frameTimes.length > 0 && this.frameTimes[0]! < now - 10_000) this.frameTimes.shift();
    const w = this.stageWindows;
    w.get('decode')!.add(result.timings.decodeMs);
    w.get('letterbox')!.add(result.timings.letterboxMs);
    w.get('infer')!.add(result.timings.inferMs);
    w.get('postprocess')!.add(result.timings.postprocessMs);
    w.get('track')!.add(trackMs);
    w.get('rules')!.add(rulesMs);
  }

  stats(): PipelineStats {
    const times = this.frameTimes;
    const spanS = times.length > 1 ? (times.at(-1)! - times[0]!) / 1000 : 0;
    const infer = this.stageWindows.get('infer')!;
    const stageMsP50: Partial<Record<Stage, number>> = {};
    for (const [stage, w] of this.stageWindows) {
      const v = w.percentile(50);
      if (v !== undefined) stageMsP50[stage] = v;
    }
    return {
      frames: this.frames,
      fps: spanS > 0 ? (times.length - 1) / spanS : 0,
      ...(infer.size > 0 ? { inferenceMsP50: infer.percentile(50)!, inferenceMsP95: infer.percentile(95)! } : {}),
      stageMsP50,
    };
  }
}
