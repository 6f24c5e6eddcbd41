/**
 * Average speed and congestion index.
 *
 * Average speed is the mean of the readings' mean speeds, weighted by reading: Σ speed / Σ readings with a
 * speed — taken from the aggregates' sums and counts, never an average of averages.
 *
 * Congestion index = speed / free-flow speed of the reading's device (1 = free flow, 0.5 = half of it),
 * averaged the same way: Σ (speed / free-flow) / Σ readings, over the readings of devices that have a
 * free-flow speed (free-flow.ts says how it is set). Null when no device in the group has one.
 */
import { ratio, type TelemetryMeasure } from './telemetry-measure.js';

export interface Speed extends Record<string, number | null> {
  speedKmhAvg: number | null;
  speedSamples: number;
  congestionIndex: number | null;
}

export const speedMeasure: TelemetryMeasure<Record<string, never>, Speed> = {
  name: 'speed',
  fields: () => ['speed_sum', 'speed_n', 'speed_ratio_sum', 'speed_ratio_n'],
  presentWhen: () => ['speed_n'],
  derive: (sums) => ({
    speedKmhAvg: ratio(sums.speed_sum, sums.speed_n),
    speedSamples: sums.speed_n ?? 0,
    congestionIndex: ratio(sums.speed_ratio_sum, sums.speed_ratio_n),
  }),
};
