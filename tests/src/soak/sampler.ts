/**
 * One sample every intervalS of this process: RSS, the V8 heap after a forced full GC,
 * and event-loop delay since the previous sample (perf_hooks). Samples are due at fixed instants from the
 * start, so a late one (a loaded machine) does not shift the others; a missing one shows as a gap.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface Sample {
  /** Seconds since the soak started. */
  tS: number;
  rssMb: number;
  /** heapUsed right after global.gc(). */
  heapAfterGcMb: number;
  /** Event-loop delay over the interval before this sample. */
  loopLagP99Ms: number;
  loopLagMaxMs: number;
  loopLagMeanMs: number;
  /** Events stored so far (from the sw_events notifications). */
  eventsStored: number;
}

const MB = 1024 * 1024;

/**
 * A full GC on demand. Not `node --expose-gc`: worker threads inherit execArgv and refuse that flag, and the
 * embedded database runs in one. The flag set at run time exposes gc to a new context instead.
 */
export function forcedGc(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

export interface Sampler {
  samples: Sample[];
  /** Resolves after the last sample (at durationS). */
  done: Promise<void>;
  stop(): void;
}

export function startSampler(intervalS: number, durationS: number, eventsStored: () => number, onSample: (s: Sample) => void): Sampler {
  const gc = forcedGc();
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const startedMs = performance.now();
  const samples: Sample[] = [];
  let timer: NodeJS.Timeout | undefined;
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => (finish = resolve));
  const take = (k: number) => {
    gc();
    const memory = process.memoryUsage();
    const sample: Sample = {
      tS: (performance.now() - startedMs) / 1000,
      rssMb: memory.rss / MB,
      heapAfterGcMb: memory.heapUsed / MB,
      loopLagP99Ms: lag.percentile(99) / 1e6,
      loopLagMaxMs: lag.max / 1e6,
      loopLagMeanMs: lag.mean / 1e6,
      eventsStored: eventsStored(),
    };
    lag.reset();
    samples.push(sample);
    onSample(sample);
    const next = k + 1;
    if (next * intervalS > durationS + 1e-9) {
      lag.disable();
      finish();
      return;
    }
    timer = setTimeout(() => take(next), Math.max(0, startedMs + next * intervalS * 1000 - performance.now()));
  };
  timer = setTimeout(() => take(1), intervalS * 1000);
  return {
    samples,
    done,
    stop: () => {
      if (timer) clearTimeout(timer);
      lag.disable();
      finish();
    },
  };
}
