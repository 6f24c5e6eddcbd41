/**
 * Zone occupancy: the most people or vehicles seen at once in the watched zones (max of zone_occupancy),
 * and the mean road/zone occupancy percentage (Σ occupancy_pct / Σ readings with one), plus the longest
 * queue.
 */
import { ratio, type TelemetryMeasure } from './telemetry-measure.js';

export interface Occupancy extends Record<string, number | null> {
  zoneOccupancyMax: number | null;
  occupancyPctAvg: number | null;
  queueLengthMMax: number | null;
}

export const occupancyMeasure: TelemetryMeasure<Record<string, never>, Occupancy> = {
  name: 'occupancy',
  fields: () => ['zone_occupancy_max', 'occupancy_sum', 'occupancy_n', 'queue_length_m_max'],
  presentWhen: () => ['zone_occupancy_max', 'occupancy_n', 'queue_length_m_max'],
  derive: (sums) => ({
    zoneOccupancyMax: sums.zone_occupancy_max ?? null,
    occupancyPctAvg: ratio(sums.occupancy_sum, sums.occupancy_n),
    queueLengthMMax: sums.queue_length_m_max ?? null,
  }),
};
