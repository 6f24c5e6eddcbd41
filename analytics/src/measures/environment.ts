/**
 * Air quality and noise per bucket: mean and maximum of the readings' PM2.5 and NO2 (µg/m³) and noise
 * level (dBA). Means are Σ / count of readings. The noise mean is the arithmetic mean of the readings'
 * equivalent levels, not an energy average (see README: the aggregates keep arithmetic sums).
 */
import { ratio, type TelemetryMeasure } from './telemetry-measure.js';

export interface Environment extends Record<string, number | null> {
  pm25Avg: number | null;
  pm25Max: number | null;
  no2Avg: number | null;
  no2Max: number | null;
  noiseDbaAvg: number | null;
  noiseDbaMax: number | null;
}

export const environmentMeasure: TelemetryMeasure<Record<string, never>, Environment> = {
  name: 'environment',
  fields: () => ['pm25_sum', 'pm25_n', 'pm25_max', 'no2_sum', 'no2_n', 'no2_max', 'noise_sum', 'noise_n', 'noise_max'],
  presentWhen: () => ['pm25_n', 'no2_n', 'noise_n'],
  derive: (sums) => ({
    pm25Avg: ratio(sums.pm25_sum, sums.pm25_n),
    pm25Max: sums.pm25_max ?? null,
    no2Avg: ratio(sums.no2_sum, sums.no2_n),
    no2Max: sums.no2_max ?? null,
    noiseDbaAvg: ratio(sums.noise_sum, sums.noise_n),
    noiseDbaMax: sums.noise_max ?? null,
  }),
};
