// @streetwise/analytics: measures over the continuous aggregates, the query planner, forecasts, open data
// and the HTTP API plugin.
export {
  SW_ANALYTICS_RANGE_TOO_LARGE,
  SW_ANALYTICS_RANGE_TOO_LARGE_FOR_RAW,
  SW_ANALYTICS_SOURCE_MISMATCH,
  SW_ANALYTICS_H3_INVALID,
  SW_ANALYTICS_H3_RESOLUTION,
  SW_ANALYTICS_RATE_LIMITED,
  SW_ANALYTICS_NO_MODEL,
  SW_ANALYTICS_MODEL_INVALID,
  SW_ANALYTICS_FORECAST_FAILED,
  ANALYTICS_ERRORS,
} from './errors.js';
export { listDistricts, findDistrict, districtGeometry, districtsOfRegion, REGIONS, REGION_IDS } from './districts.js';
export type { District, DistrictNames, Region } from './districts.js';
export { districtNames } from './districts.js';
export { BUCKETS, BUCKET_SPECS, HK_OFFSET_MS } from './query/bucket.js';
export type { Bucket } from './query/bucket.js';
export { parseRange, alignRange } from './query/time-range.js';
export type { TimeRange } from './query/time-range.js';
export { planQuery, SOURCE_REQUESTS, DEFAULT_PLANNER_LIMITS } from './query/planner.js';
export type { QueryPlan, SourceRequest, Grain, PlannerLimits } from './query/planner.js';
export { GROUP_BYS } from './query/filters.js';
export type { DeviceFilter, GroupBy, TimeOfDayFilter } from './query/filters.js';
export { buildSeriesSql } from './query/telemetry-series.js';
export { runTelemetryMeasure } from './query/run-telemetry-measure.js';
export type { MeasureRequest, MeasureResult, MeasureRow } from './query/run-telemetry-measure.js';
export { parseCell, cellOf, H3_MIN_RESOLUTION, H3_MAX_RESOLUTION } from './query/h3-cells.js';
export { volumeMeasure, MOTOR_VEHICLE_CLASSES } from './measures/volume.js';
export { speedMeasure } from './measures/speed.js';
export { footfallMeasure } from './measures/footfall.js';
export { occupancyMeasure } from './measures/occupancy.js';
export { environmentMeasure } from './measures/environment.js';
export { HK_AQO, NOISE_GUIDELINE, EXPOSURE_LIMITS } from './measures/aqo.js';
export type { ExposureLimit } from './measures/aqo.js';
export { countExceedances } from './measures/exceedances.js';
export { computeFreeFlowSpeeds, setConfiguredFreeFlow, listFreeFlowSpeeds, DEFAULT_FREE_FLOW_OPTIONS } from './measures/free-flow.js';
export { peakHourOfDay, peakHours } from './measures/peak-hour.js';
export { hourOfWeekProfile } from './measures/hour-of-week.js';
export { periodChange, comparisonRange } from './measures/period-change.js';
export { rankHotspots } from './measures/hotspots.js';
export { buildKpiSql, parseKpiRows } from './measures/operator-kpis.js';
export type { TelemetryMeasure } from './measures/telemetry-measure.js';
export { analyticsApi, DEFAULT_RATE_LIMIT, DEFAULT_OPEN_DATA_RATE_LIMIT } from './api/plugin.js';
export type { AnalyticsApiOptions, RateLimitOptions } from './api/plugin.js';
export { registerApiDocs, API_TAGS, SCHEMA_REF_RESOLVER } from './api/docs.js';
// The request filters every /api/v1 route shares (the console's routes use them too).
export { installApiValidation } from './api/validation.js';
export { resolveDistrict, resolveDistricts, checkDevices } from './api/request-filters.js';
export { RangeParams, DeviceFilterParams, StringEnum, ErrorBody } from './api/schemas.js';
// Test and benchmark support (a migrated embedded database, bulk inserts, the hand-computed fixture).
export { startMigratedDatabase, insertDevices, insertTelemetry, insertIncidents, refreshAggregates, TELEMETRY_INSERT_SQL, telemetryColumns } from './testing/seed.js';
export type { SeedDevice, SeedTelemetry, SeedIncident } from './testing/seed.js';
export { analyzeAggregates } from './maintenance.js';
export { ForecastJob, modelsForecaster } from './forecast/forecast-job.js';
export type { ForecastJobOptions, ForecastRunReport, Forecaster, OpenForecaster } from './forecast/forecast-job.js';
