import { N_FEATURES, seriesScales, windowFeatures, type ForecasterRuntime, type SeriesRow } from '@streetwise/inference';
import { evaluateSeries, openForecaster, STEPS_PER_DAY } from '@streetwise/models';
import { buildCity, selectSites, simulateSeries } from '@streetwise/simulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Stated bound: on a fresh week the model's 15-minute flow MAE is at least this much below historical average's. */
export const MIN_IMPROVEMENT_VS_HA_15MIN = 0.2;

// Simulated here (simulators) rather than in models' unit tests: models must not depend on simulators, which depends on models.
describe('models/forecaster.onnx on a freshly simulated week', () => {
  let forecaster: ForecasterRuntime;
  beforeAll(async () => {
    forecaster = await openForecaster();
  });
  afterAll(async () => {
    await forecaster.close();
  });

  // A seed the training never saw; two weeks so historical average has a week of history for the week scored.
  const seed = 4242;
  const city = buildCity({ seed });
  const sites = selectSites(city, 200).filter((s) => s.kind === 'loop_detector').slice(0, 4);
  const startMs = Date.UTC(2025, 5, 1, 16, 0); // Monday 2025-06-02 00:00 in Hong Kong
  const series: SeriesRow[][] = sites.map((site) => simulateSeries(site, startMs, 14 * STEPS_PER_DAY, seed).map((p) => ({ timeMs: p.timeMs, speedKmh: p.speedKmh, flow: p.flow })));

  it(`beats historical average by at least ${MIN_IMPROVEMENT_VS_HA_15MIN * 100}% at 15 minutes (flow MAE), and last value too`, async () => {
    let model = 0;
    let ha = 0;
    let last = 0;
    for (const rows of series) {
      const result = await evaluateSeries(forecaster, rows, { firstOrigin: 7 * STEPS_PER_DAY });
      const h15 = result.horizons[0]!;
      expect(h15.minutes).toBe(15);
      model += h15.mae_model_flow!;
      ha += h15.mae_ha_flow!;
      last += h15.mae_last_flow!;
    }
    console.log(`fresh week, 15 min flow MAE (sum over ${series.length} detectors): model ${model.toFixed(2)}, historical average ${ha.toFixed(2)}, last value ${last.toFixed(2)} (${((1 - model / ha) * 100).toFixed(1)}% below HA)`);
    expect(model).toBeLessThan(ha * (1 - MIN_IMPROVEMENT_VS_HA_15MIN));
    expect(model).toBeLessThan(last);
  });

  it('forecasts a speed-only series (flow column absent)', async () => {
    const rows = series[0]!.map((r) => ({ ...r, flow: undefined }));
    const forecasts = await forecaster.forecast(rows.slice(0, 3 * STEPS_PER_DAY));
    expect(forecasts.map((f) => f.minutes)).toEqual([15, 30, 60]);
    for (const f of forecasts) {
      expect(f.flow).toBeUndefined();
      expect(f.speedKmh).toBeGreaterThan(5);
      expect(f.speedKmh).toBeLessThan(120);
    }
  });

  it(`builds the ${N_FEATURES} features the training script builds`, () => {
    const rows = series[0]!;
    const scales = seriesScales(rows);
    const f = windowFeatures(rows, 100, scales);
    expect(f).toHaveLength(N_FEATURES);
    expect(f[11]).toBeCloseTo(rows[100]!.flow! / scales.flowScale, 6);
    expect(f[23]).toBeCloseTo(rows[100]!.speedKmh / scales.speedScale, 6);
    expect(f[28]).toBe(1);
  });
});
