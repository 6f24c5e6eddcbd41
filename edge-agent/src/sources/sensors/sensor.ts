import { readFile } from 'node:fs/promises';
import type { DeviceKind } from '@streetwise/protocol';
import type { TelemetryBody } from '../../publish/publisher.js';

/** One reading of a non-camera sensor. Only the fields the sensor measures are set. */
export interface SensorSample {
  /** PM2.5, µg/m³ */
  pm25?: number;
  /** NO2, µg/m³ */
  no2?: number;
  /** Sound level, dBA */
  noiseDba?: number;
  /** Loop detector: vehicles since the previous sample */
  vehicles?: number;
  /** Loop detector: share of time occupied, % */
  occupancyPct?: number;
  /** Loop detector (double loop): mean speed, km/h */
  speedKmh?: number;
}

/** Where samples come from: one file per back-end kind (HTTP JSON, file, function). */
export interface SensorReader {
  read(): Promise<SensorSample>;
}

const FIELDS = ['pm25', 'no2', 'noiseDba', 'vehicles', 'occupancyPct', 'speedKmh'] as const;

/** Keep only known numeric fields of a JSON object (a reading from the network or a file is data, not trusted). */
export function pickSample(value: unknown): SensorSample {
  const out: SensorSample = {};
  if (value === null || typeof value !== 'object') return out;
  for (const f of FIELDS) {
    const v = (value as Record<string, unknown>)[f];
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) out[f] = v;
  }
  return out;
}

/** A sensor that serves its current reading as JSON over HTTP, e.g. {"pm25": 12.5, "no2": 40}. */
export function httpJsonReader(url: string, timeoutMs = 5000): SensorReader {
  return {
    async read() {
      const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
      if (!res.ok) throw new Error(`${url} answered ${res.status}`);
      return pickSample(await res.json());
    },
  };
}

/** A sensor driver that writes its current reading as JSON into a file. */
export function fileJsonReader(path: string): SensorReader {
  return { read: async () => pickSample(JSON.parse(await readFile(path, 'utf8'))) };
}

/** In-process readings (simulators, tests). */
export function functionReader(read: () => SensorSample | Promise<SensorSample>): SensorReader {
  return { read: async () => read() };
}

/**
 * Sensor samples → one telemetry body per interval: means for concentrations, occupancy and speed; the
 * energy mean (Leq) for sound; the sum for vehicle counts.
 */
export class SensorAggregator {
  private samples: SensorSample[] = [];

  add(sample: SensorSample): void {
    this.samples.push(sample);
  }

  flush(intervalS: number): Omit<TelemetryBody, 'ts'> | undefined {
    const samples = this.samples;
    this.samples = [];
    if (samples.length === 0) return undefined;
    const values = (f: keyof SensorSample) => samples.flatMap((s) => (s[f] === undefined ? [] : [s[f]]));
    const mean = (vs: number[]) => (vs.length ? vs.reduce((a, b) => a + b, 0) / vs.length : undefined);
    const r1 = (v: number) => Math.round(v * 10) / 10;
    const body: Omit<TelemetryBody, 'ts'> = { intervalS };
    const pm25 = mean(values('pm25'));
    const no2 = mean(values('no2'));
    const occupancy = mean(values('occupancyPct'));
    const speed = mean(values('speedKmh'));
    const noise = values('noiseDba');
    const vehicles = values('vehicles');
    if (pm25 !== undefined) body.pm25 = r1(Math.min(2000, pm25));
    if (no2 !== undefined) body.no2 = r1(Math.min(5000, no2));
    if (noise.length) body.noiseDba = r1(Math.min(200, 10 * Math.log10(noise.reduce((a, l) => a + 10 ** (l / 10), 0) / noise.length)));
    if (vehicles.length) body.counts = { car: Math.min(1_000_000, Math.round(vehicles.reduce((a, b) => a + b, 0))) };
    if (occupancy !== undefined) body.occupancyPct = r1(Math.min(100, occupancy));
    if (speed !== undefined) body.speedKmhAvg = r1(Math.min(300, speed));
    return body;
  }
}

export interface SensorInputOptions {
  name: string;
  kind: Exclude<DeviceKind, 'camera' | 'multi'>;
  reader: SensorReader;
  /** Seconds between samples. Default 10. */
  sampleS?: number;
  /** Seconds per telemetry message. Default 60. */
  intervalS?: number;
  /** Approach for loop detectors. */
  approach?: string;
  publish: (body: TelemetryBody) => void;
  onError?: (err: unknown) => void;
  now?: () => number;
}

/** A pluggable non-camera input: samples on a timer and publishes telemetry only. */
export class SensorInput {
  private readonly aggregator = new SensorAggregator();
  private sampleTimer: NodeJS.Timeout | undefined;
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(readonly options: SensorInputOptions) {}

  async sample(): Promise<void> {
    try {
      this.aggregator.add(await this.options.reader.read());
    } catch (err) {
      this.options.onError?.(err);
    }
  }

  flush(): void {
    const intervalS = this.options.intervalS ?? 60;
    const body = this.aggregator.flush(intervalS);
    if (!body) return;
    const now = this.options.now?.() ?? Date.now();
    this.options.publish({ ...body, ts: new Date(now).toISOString(), ...(this.options.approach ? { approach: this.options.approach } : {}) });
  }

  start(): void {
    this.sampleTimer = setInterval(() => void this.sample(), (this.options.sampleS ?? 10) * 1000);
    this.flushTimer = setInterval(() => this.flush(), (this.options.intervalS ?? 60) * 1000);
    this.sampleTimer.unref();
    this.flushTimer.unref();
  }

  stop(): void {
    clearInterval(this.sampleTimer);
    clearInterval(this.flushTimer);
  }
}
