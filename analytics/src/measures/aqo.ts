/**
 * Hong Kong's Air Quality Objectives for the pollutants our sensors measure, and the noise level we count
 * exceedances against. Source: Environmental Protection Department, "Air Quality Objectives" (Air
 * Pollution Control Ordinance, Cap. 311), in force since 1 January 2022:
 * https://www.epd.gov.hk/epd/english/environmentinhk/air/air_quality_objectives/air_quality_objectives.html
 * The ordinance reviews the AQOs at least every five years: update this table when they change.
 */
export type Pollutant = 'pm25' | 'no2' | 'noise';
export type Averaging = '1h' | '24h' | 'annual';

export interface ExposureLimit {
  pollutant: Pollutant;
  averaging: Averaging;
  /** µg/m³ for pollutants, dBA for noise. */
  limit: number;
  unit: 'µg/m³' | 'dBA';
  /** Exceedances allowed per calendar year; null where the objective allows none to be counted (annual). */
  allowedPerYear: number | null;
  source: string;
}

const AQO = 'Hong Kong AQO (Cap. 311, in force since 1 Jan 2022)';

export const HK_AQO: readonly ExposureLimit[] = [
  { pollutant: 'pm25', averaging: '24h', limit: 50, unit: 'µg/m³', allowedPerYear: 35, source: AQO },
  { pollutant: 'pm25', averaging: 'annual', limit: 25, unit: 'µg/m³', allowedPerYear: null, source: AQO },
  { pollutant: 'no2', averaging: '1h', limit: 200, unit: 'µg/m³', allowedPerYear: 18, source: AQO },
  { pollutant: 'no2', averaging: 'annual', limit: 40, unit: 'µg/m³', allowedPerYear: null, source: AQO },
];

/**
 * Road traffic noise: Hong Kong Planning Standards and Guidelines, Chapter 9, L10(1 hour) 70 dB(A) at the
 * façade of domestic premises. Our sensors report an equivalent level (Leq) per interval, not L10, so the
 * count is indicative (L10 is usually 2–3 dB above Leq for free-flowing traffic).
 */
export const NOISE_GUIDELINE: ExposureLimit = {
  pollutant: 'noise',
  averaging: '1h',
  limit: 70,
  unit: 'dBA',
  allowedPerYear: null,
  source: 'HKPSG Ch. 9 road traffic noise, L10(1 hour) 70 dB(A), domestic premises (indicative: sensors report Leq)',
};

export const EXPOSURE_LIMITS: readonly ExposureLimit[] = [...HK_AQO, NOISE_GUIDELINE];

export function limitFor(pollutant: Pollutant, averaging: Averaging): ExposureLimit | undefined {
  return EXPOSURE_LIMITS.find((l) => l.pollutant === pollutant && l.averaging === averaging);
}

/** Valid 24-hour mean: at least 18 of 24 hourly means (75 %), the usual data-capture rule. */
export const MIN_HOURS_PER_DAY = 18;
