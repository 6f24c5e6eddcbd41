import type { Logger } from 'pino';
import { startFleet, type Fleet, type FleetOptions, type FleetStats } from '../fleet/fleet.js';
import { createRandom } from '../random.js';

export interface LoadOptions extends FleetOptions {
  /** Run this long, seconds; 0 runs until stop() is called. */
  durationS: number;
  /** Drop a random device's connection every this many seconds; 0 never. */
  dropEveryS?: number;
  /** How long each drop lasts, seconds. Default 10. */
  dropSeconds?: number;
  /** Called about once a second with the running figures. */
  onProgress?: (line: LoadProgress) => void;
  logger?: Logger;
}

export interface LoadProgress {
  elapsedS: number;
  stats: FleetStats;
  /** Messages queued per second over the last progress interval. */
  rateMsgPerS: number;
  drops: number;
}

export interface LoadSummary {
  devices: number;
  durationS: number;
  queued: number;
  acked: number;
  pending: number;
  /** Acknowledged messages per second over the run. */
  ackedPerS: number;
  /** Reconnections after the first connection of each device. */
  reconnects: number;
  drops: number;
  outboxDropped: number;
  incidents: number;
  connectS: number;
}

export interface LoadRun {
  fleet: Fleet;
  /** Resolves with the summary when the duration is over or stop() was called. */
  done: Promise<LoadSummary>;
  stop(): void;
  /** Drop one device (`deviceId`, or 'random' for any one) for `seconds`. Returns the device id. */
  drop(deviceId: string, seconds: number): string;
}

/** Run a fleet as a load generator: progress about once a second, faults on demand or on a timer, a summary at the end. */
export async function startLoad(options: LoadOptions): Promise<LoadRun> {
  const connectStarted = Date.now();
  const dropEveryS = options.dropEveryS ?? 0;
  const fleet = await startFleet({ ...options, faults: options.faults || dropEveryS > 0 });
  const connectS = (Date.now() - connectStarted) / 1000;
  const started = Date.now();
  const random = createRandom(options.seed ?? 1).fork('load-drops');
  let drops = 0;
  let lastQueued = 0;
  let lastAt = started;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));

  const drop = (deviceId: string, seconds: number): string => {
    const id = deviceId === 'random' ? random.pick(fleet.sites).id : deviceId;
    fleet.dropConnection(id, seconds);
    drops++;
    return id;
  };
  const progressTimer = setInterval(() => {
    const stats = fleet.stats();
    const now = Date.now();
    const queued = stats.queued.telemetry + stats.queued.event;
    options.onProgress?.({ elapsedS: (now - started) / 1000, stats, rateMsgPerS: ((queued - lastQueued) * 1000) / Math.max(1, now - lastAt), drops });
    lastQueued = queued;
    lastAt = now;
  }, 1000);
  const dropTimer = dropEveryS > 0 ? setInterval(() => drop('random', options.dropSeconds ?? 10), dropEveryS * 1000) : undefined;
  const durationTimer = options.durationS > 0 ? setTimeout(finish, options.durationS * 1000) : undefined;

  const done = finished.then(async (): Promise<LoadSummary> => {
    clearInterval(progressTimer);
    if (dropTimer) clearInterval(dropTimer);
    if (durationTimer) clearTimeout(durationTimer);
    const durationS = (Date.now() - started) / 1000;
    // Give the outboxes a moment to empty so the figures count delivered messages.
    await fleet.whenDrained(5000).catch(() => undefined);
    const stats = fleet.stats();
    await fleet.stop();
    return {
      devices: stats.devices,
      durationS: Math.round(durationS * 10) / 10,
      queued: stats.queued.telemetry + stats.queued.event,
      acked: stats.acked,
      pending: stats.pending,
      ackedPerS: Math.round((stats.acked / Math.max(durationS, 0.001)) * 10) / 10,
      reconnects: stats.connects - stats.devices,
      drops,
      outboxDropped: stats.outboxDropped,
      incidents: stats.incidents,
      connectS: Math.round(connectS * 10) / 10,
    };
  });
  return { fleet, done, stop: finish, drop };
}
