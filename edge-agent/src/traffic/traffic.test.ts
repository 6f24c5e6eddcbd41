import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Crossing } from '../rules/types.js';
import { buildConstantModel } from '@streetwise/inference/testing';
import { TrafficAggregator, percentile } from './aggregator.js';
import { FlowSeries, type FiveMinuteBucket } from './flow-series.js';
import { N_FEATURES } from '@streetwise/inference';
import { buildFeatures, createOnnxForecaster, seriesScales, type Forecaster } from './forecaster.js';
import { TrafficReporter } from './traffic-reporter.js';

const T0 = Date.parse('2024-01-01T00:00:00Z'); // a Monday; 08:00 in Hong Kong
const crossing = (at: number, cls: Crossing['class'], speedKmh?: number, approach = 'north'): Crossing => ({ line: approach, approach, direction: 'in', class: cls, trackId: 1, at, ...(speedKmh === undefined ? {} : { speedKmh }) });

const dir = mkdtempSync(join(tmpdir(), 'sw-traffic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('traffic aggregates', () => {
  it('per approach and minute: counts by class, mean and 85th percentile speed; quiet approaches report zeros', () => {
    const agg = new TrafficAggregator(60, ['north', 'south']);
    expect(agg.tick(T0 + 5_000)).toEqual([]);
    const speeds = [30, 40, 50, 60, 70, 80, 20];
    speeds.forEach((s, i) => agg.add(crossing(T0 + 10_000 + i, 'car', s)));
    agg.add(crossing(T0 + 20_000, 'person'));
    agg.add(crossing(T0 + 21_000, 'bus', 35));
    agg.observeQueue('north', 12);
    agg.observeQueue('north', 30.5);
    expect(agg.tick(T0 + 59_999)).toEqual([]);
    const [north, south] = agg.tick(T0 + 60_000);
    // speeds 20..80 and 35: mean 385/8 = 48.125; p85 nearest rank ceil(0.85 × 8) = 7th of 8 sorted = 70
    expect(north).toEqual({ approach: 'north', endMs: T0 + 60_000, intervalS: 60, counts: { car: 7, person: 1, bus: 1 }, vehicles: 8, speedKmhAvg: 48.1, speedKmhP85: 70, queueLengthM: 30.5 });
    expect(south).toEqual({ approach: 'south', endMs: T0 + 60_000, intervalS: 60, counts: {}, vehicles: 0 });
    expect(percentile([5], 85)).toBe(5);
  });

  it('five-minute buckets from minute intervals, consecutive, speed carried over quiet buckets', () => {
    const series = new FlowSeries(3);
    const interval = (minute: number, vehicles: number, speed?: number) => ({ approach: 'a', endMs: T0 + minute * 60_000, intervalS: 60, counts: {}, vehicles, ...(speed === undefined ? {} : { speedKmhAvg: speed }) });
    const closed = [];
    for (let m = 1; m <= 15; m++) {
      const b = series.add(interval(m, m <= 5 ? 2 : m <= 10 ? 0 : 4, m <= 5 ? 40 : m <= 10 ? undefined : 20));
      if (b) closed.push(b);
    }
    expect(closed.map((b) => [b.endMs - T0, b.flow, b.speedKmh])).toEqual([[300_000, 10, 40], [600_000, 0, 40], [900_000, 20, 20]]);
    expect(series.forecastInput()).toHaveLength(3);
    // A gap (no minute 16..20): no forecast until the last 3 buckets are consecutive again; the buckets
    // before the gap stay (the forecaster reads rows by time).
    series.add(interval(25, 1, 30));
    expect(series.forecastInput()).toBeUndefined();
    series.add(interval(30, 1, 30));
    series.add(interval(35, 1, 30));
    expect(series.forecastInput()!.map((b) => (b.endMs - T0) / 60_000)).toEqual([5, 10, 15, 25, 30, 35]);
  });

  it('keeps a week of buckets and drops older ones by time', () => {
    const series = new FlowSeries(12);
    const step = 5 * 60_000;
    for (let i = 1; i <= 8 * 288; i++) series.add({ approach: 'a', endMs: T0 + i * step, intervalS: 300, counts: {}, vehicles: 1, speedKmhAvg: 40 });
    // 7 days + 1 h back from the newest (8 · 288 · 5 min), inclusive: 7 · 288 + 12 + 1 buckets.
    expect(series.history()).toHaveLength(7 * 288 + 13);
    expect(series.history()[0]!.endMs).toBe(T0 + (8 * 288 - 7 * 288 - 12) * step);
  });
});

describe('forecaster contract', () => {
  it('features (built by @streetwise/inference) from five-minute buckets: 12 flows, 12 speeds (scaled), 4 time features, has-flow, speed history', () => {
    const window = Array.from({ length: 12 }, (_, i) => ({ endMs: T0 + (i - 11) * 300_000, flow: i * 10, speedKmh: 50 }));
    const f = buildFeatures(window, { flowScale: 100, speedScale: 50 }, 480);
    expect(f).toHaveLength(34);
    expect(Array.from(f.slice(0, 12))).toEqual(window.map((w) => Math.fround(w.flow / 100)));
    expect(Array.from(f.slice(12, 24))).toEqual(new Array(12).fill(1));
    expect(f[25]).toBeCloseTo(-0.5, 6);
    expect(f[28]).toBe(1);
    // Less than a day of window: no history, so the four history slots hold the last speed and has_history is 0.
    expect(Array.from(f.slice(29))).toEqual([1, 1, 1, 1, 0]);
    // numpy-style 95th percentile of 0, 10 … 110: position 10.45 → 104.5
    expect(seriesScales(window)).toEqual({ flowScale: 104.5, speedScale: 50 });
  });

  it('runs the ONNX model and unscales its output; the reporter adds it every five minutes', async () => {
    const modelPath = join(dir, 'forecaster.onnx');
    writeFileSync(modelPath, buildConstantModel({ inputWidth: 0, inputHeight: 0, inputDims: [1, N_FEATURES], outputDims: [1, 6], outputData: [0.5, 0.6, 0.7, 0.8, 0.9, 1.0], inputName: 'features', outputName: 'forecast', metadata: { version: 'fc-test' } }));
    const forecaster = await createOnnxForecaster({ modelPath });
    expect(forecaster.version).toBe('fc-test');
    const reporter = new TrafficReporter({ approaches: ['north'], forecaster, scales: { flowScale: 100, speedScale: 50 }, freeFlowKmh: 50 });
    await reporter.tick(T0);
    const withForecast = [];
    for (let m = 1; m <= 65; m++) {
      reporter.add([crossing(T0 + m * 60_000 - 30_000, 'car', 40)]);
      for (const t of await reporter.tick(T0 + m * 60_000)) if (t.forecast) withForecast.push([m, t.forecast]);
    }
    // The 12th five-minute bucket closes at minute 60, and another at 65.
    expect(withForecast.map(([m]) => m)).toEqual([60, 65]);
    expect(withForecast[0]![1]).toEqual([{ minutes: 15, flow: 50, speedKmh: 40 }, { minutes: 30, flow: 60, speedKmh: 45 }, { minutes: 60, flow: 70, speedKmh: 50 }]);
    const last = await reporter.tick(T0 + 66 * 60_000);
    expect(last[0]).toMatchObject({ approach: 'north', counts: {}, intervalS: 60 });
    await forecaster.dispose();
  });

  it('the reporter passes the forecaster a day and more of history, so it reads the same time yesterday', async () => {
    const given: Array<readonly FiveMinuteBucket[]> = [];
    const recording: Forecaster = {
      version: 'recording',
      forecast(buckets) {
        given.push(buckets);
        return Promise.resolve([]);
      },
      dispose: () => Promise.resolve(),
    };
    const reporter = new TrafficReporter({ approaches: ['north'], forecaster: recording, scales: { flowScale: 10, speedScale: 10 } });
    // 25 hours of one car a minute; its speed is 30 + the hour of the day (UTC), so yesterday's is known.
    const minutes = 25 * 60;
    for (let m = 1; m <= minutes; m++) {
      reporter.add([crossing(T0 + m * 60_000 - 30_000, 'car', 30 + Math.floor(((m - 1) % 1440) / 60))]);
      await reporter.tick(T0 + m * 60_000);
    }
    const input = given.at(-1)!;
    // Every bucket of the 25 hours, from the first one on.
    expect(input).toHaveLength(minutes / 5);
    expect(input[0]!.endMs).toBe(T0 + 300_000);
    const f = buildFeatures(input, { flowScale: 10, speedScale: 10 }, 0);
    // t = 25:00 → 01:00; yesterday at 01:00, 01:15, 01:30 (hour 0 bucket ends, speed 30 for the bucket ending
    // 01:00, i.e. minutes 56–60 of hour 0), 02:00 (the bucket of minutes 116–120: hour 1, 31). Scaled by 10.
    expect(Array.from(f.slice(29))).toEqual([3, 3.1, 3.1, 3.1, 1].map(Math.fround));
    // Before a day had passed the same reporter gave fewer buckets and no history.
    expect(given.find((g) => g.length === 200)).toBeDefined();
  });
});
