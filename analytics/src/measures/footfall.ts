/** Pedestrian footfall: people counted in the bucket (Σ count_person). */
import { countOf, type TelemetryMeasure } from './telemetry-measure.js';

export interface Footfall extends Record<string, number | null> {
  persons: number;
}

export const footfallMeasure: TelemetryMeasure<Record<string, never>, Footfall> = {
  name: 'footfall',
  fields: () => ['count_person'],
  presentWhen: () => ['count_person'],
  derive: (sums) => ({ persons: countOf(sums.count_person) }),
};
