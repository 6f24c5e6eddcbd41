/** The common first step of a telemetry route: devices, filters and the plan from the query string. */
import type { DeviceInfo } from '../query/device-directory.js';
import type { Bucket } from '../query/bucket.js';
import type { DeviceFilter, TimeOfDayFilter } from '../query/filters.js';
import { planQuery, type Grain, type QueryPlan, type SourceRequest } from '../query/planner.js';
import { TELEMETRY_SOURCES } from '../query/telemetry-fields.js';
import { parseRange, rangeToIso, type TimeRange } from '../query/time-range.js';
import type { ApiContext } from './context.js';
import { needsHourlyRows, resolveDeviceFilter, resolveTimeOfDay, type FilterQuery, type TimeOfDayQuery } from './request-filters.js';

export interface Prepared {
  devices: DeviceInfo[];
  filter: DeviceFilter;
  timeOfDay: TimeOfDayFilter;
  range: TimeRange;
  plan: QueryPlan;
}

export async function prepareTelemetry(
  ctx: ApiContext,
  query: FilterQuery & TimeOfDayQuery & { from?: string | undefined; to?: string | undefined; source?: SourceRequest | undefined },
  bucket: Bucket,
  coarsest?: Exclude<Grain, 'raw'>,
): Promise<Prepared> {
  const devices = await ctx.devices.list();
  const filter = resolveDeviceFilter(query, devices);
  const timeOfDay = resolveTimeOfDay(query);
  const range = parseRange(query, ctx.now().getTime());
  const plan = planQuery({ range, bucket, source: query.source, coarsest: coarsest ?? (needsHourlyRows(timeOfDay) ? '1h' : undefined) }, ctx.limits);
  return { devices, filter, timeOfDay, range, plan };
}

/** The meta block of a telemetry answer. */
export function telemetryMeta(measure: string, plan: QueryPlan, groupBy: string, units: Record<string, string>) {
  return {
    measure,
    ...rangeToIso(plan.range),
    bucket: plan.bucket,
    groupBy,
    source: TELEMETRY_SOURCES[plan.grain].table,
    reason: plan.reason,
    units,
  };
}
