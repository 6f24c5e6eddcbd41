import { describe, expect, it } from 'vitest';
import { buildConstantModel } from '../testing/onnx-model.js';
import { N_FEATURES, timeFeatures, windowFeatures, type SeriesRow } from './features.js';
import { ForecasterRuntime } from './forecaster-runtime.js';

const T0 = Date.parse('2024-01-01T00:00:00Z'); // a Monday; 08:00 in Hong Kong
/** A forecaster that always answers 0.5 0.6 0.7 (flow) and 0.8 0.9 1.0 (speed), in scaled units. */
const constantForecaster = (inputDims = [1, N_FEATURES], outputDims = [1, 6]) =>
  buildConstantModel({ inputWidth: 0, inputHeight: 0, inputDims, outputDims, outputData: new Array(outputDims.reduce((a, b) => a * b, 1)).fill(0).map((_, i) => 0.5 + 0.1 * (i % 6)), inputName: 'features', outputName: 'forecast', metadata: { version: 'fc-test' } });
const rows = (n: number, flow: (i: number) => number | undefined = (i) => i * 10): SeriesRow[] =>
  Array.from({ length: n }, (_, i) => ({ timeMs: T0 + i * 300_000, speedKmh: 50, flow: flow(i) }));

describe('forecaster features (the contract of models/train/forecaster.py)', () => {
  it('time features in Hong Kong time: Monday 08:00', () => {
    const [s, c, ds, dc] = timeFeatures(T0, 8);
    expect(s).toBeCloseTo(Math.sin((2 * Math.PI * 480) / 1440), 12);
    expect(c).toBeCloseTo(-0.5, 12);
    expect(ds).toBeCloseTo(Math.sin((2 * Math.PI) / 7), 12);
    expect(dc).toBeCloseTo(Math.cos((2 * Math.PI) / 7), 12);
  });

  it('12 flows and 12 speeds scaled, 4 time features, has-flow, 5 history slots; flows zeroed for a speed-only series', () => {
    const series = rows(20);
    const f = windowFeatures(series, 15, { flowScale: 100, speedScale: 25 }, 8);
    expect(f).toHaveLength(34);
    expect(Array.from(f.slice(0, 12))).toEqual(series.slice(4, 16).map((r) => Math.fround(r.flow! / 100)));
    expect(Array.from(f.slice(12, 24))).toEqual(new Array(12).fill(2));
    expect(f[28]).toBe(1);
    const speedOnly = windowFeatures(rows(20, () => undefined), 15, { flowScale: 100, speedScale: 25 }, 8);
    expect(Array.from(speedOnly.slice(0, 12))).toEqual(new Array(12).fill(0));
    expect(speedOnly[28]).toBe(0);
    // Less than a day of rows: the history slots repeat the last speed (scaled) and has_history is 0.
    expect(Array.from(f.slice(29))).toEqual([2, 2, 2, 2, 0]);
  });
});

describe('forecaster runtime on a tiny hand-made model', () => {
  it('unscales the output layout (flow at +15/+30/+60, then speed) and stamps each horizon', async () => {
    const fc = await ForecasterRuntime.load(constantForecaster());
    expect(fc.version).toBe('fc-test');
    const got = await fc.forecast(rows(12), { flowScale: 100, speedScale: 50 });
    const last = T0 + 11 * 300_000;
    expect(got.map((f) => [f.minutes, f.timeMs - last])).toEqual([[15, 900_000], [30, 1_800_000], [60, 3_600_000]]);
    // 0.5 0.6 0.7 × flowScale 100; 0.8 0.9 1.0 × speedScale 50
    expect(got.map((f) => f.flow)).toEqual([50, 60, 70].map((v) => expect.closeTo(v, 4)));
    expect(got.map((f) => f.speedKmh)).toEqual([40, 45, 50].map((v) => expect.closeTo(v, 4)));
    // A speed-only series has no flow forecast.
    expect((await fc.forecast(rows(12, () => undefined), { flowScale: 100, speedScale: 50 })).map((f) => f.flow)).toEqual([undefined, undefined, undefined]);
    await expect(fc.forecast(rows(11))).rejects.toMatchObject({ code: 'SW_INFERENCE_SERIES_TOO_SHORT', message: 'a forecast needs the last 12 five-minute rows; the series has 11' });
    await fc.close();
  });

  it('refuses a model whose input or output width is not the contract', async () => {
    await expect(ForecasterRuntime.load(constantForecaster([1, 29]))).rejects.toMatchObject({ code: 'SW_INFERENCE_FORECASTER_SHAPE', message: expect.stringMatching(/input "features" has 29 features; this runtime builds 34/) });
    await expect(ForecasterRuntime.load(constantForecaster([1, 34], [1, 4]))).rejects.toMatchObject({ code: 'SW_INFERENCE_FORECASTER_SHAPE', message: expect.stringMatching(/output "forecast" has 4 outputs/) });
  });
});
