/**
 * A telemetry measure is the list of additive fields it needs and a pure function from their sums to the
 * figures it reports. Running one (run-telemetry-measure.ts) is the same for every measure.
 */
import type { TelemetryField, TelemetrySums } from '../query/telemetry-fields.js';

export type Figures = Record<string, number | null | undefined>;

export interface TelemetryMeasure<Options, Out extends Figures> {
  readonly name: string;
  fields(options: Options): TelemetryField[];
  /** A row is reported only when one of these has data (e.g. speed_n > 0 for speeds). */
  presentWhen(options: Options): TelemetryField[];
  derive(sums: Partial<TelemetrySums>, options: Options): Out;
}

/** sum / count, or null when there is nothing to divide. */
export function ratio(sum: number | null | undefined, count: number | null | undefined): number | null {
  if (sum === null || sum === undefined || count === null || count === undefined || count === 0) return null;
  return sum / count;
}

/** A count field, 0 when no row reported it. */
export const countOf = (value: number | null | undefined): number => value ?? 0;
