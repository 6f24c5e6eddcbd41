/**
 * analyticsApi: the analytics HTTP API as one encapsulated fastify plugin. The console registers it under
 * /api/v1 with `{ db }`; its rate limits apply to its routes only. Errors are answered by the host's
 * /api/v1 error handler (@streetwise/errors apiErrorHandler), so they have the same shape and codes as
 * the console's routes; a stand-alone host sets it too (`app.setErrorHandler(apiErrorHandler)`).
 */
import rateLimit from '@fastify/rate-limit';
import type { Queryable } from '@streetwise/db';
import { API_ERROR_SCHEMA } from '@streetwise/errors';
import type { FastifyPluginAsync } from 'fastify';
import { SW_ANALYTICS_RATE_LIMITED } from '../errors.js';
import { DeviceDirectory } from '../query/device-directory.js';
import { DEFAULT_PLANNER_LIMITS, type PlannerLimits } from '../query/planner.js';
import type { ApiContext } from './context.js';
import { registerAirRoutes } from './air-routes.js';
import { registerForecastRoutes } from './forecast-routes.js';
import { registerIncidentRoutes } from './incident-routes.js';
import { registerMeasureRoutes } from './measure-routes.js';
import { registerPlannerRoutes } from './planner-routes.js';
import { registerTrafficRoutes } from './traffic-routes.js';
import { registerOpenDataRoutes } from '../open-data/routes.js';
import { installApiValidation } from './validation.js';

export interface RateLimitOptions {
  /** Requests per window per client (IP). */
  max: number;
  timeWindowMs: number;
}

export interface AnalyticsApiOptions {
  db: Queryable;
  /** Clock for default ranges ("the last 24 hours"); tests pin it. Default: real time. */
  now?: () => Date;
  limits?: Partial<PlannerLimits>;
  /** Per-client limit on the analytics routes; false turns it off. Default 300 per minute. */
  rateLimit?: RateLimitOptions | false;
  /** Per-client limit on the open-data routes. Default 60 per minute. */
  openDataRateLimit?: RateLimitOptions;
  /** How long the device list is cached, ms. Default 10 s. */
  deviceCacheMs?: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { max: 300, timeWindowMs: 60_000 };
export const DEFAULT_OPEN_DATA_RATE_LIMIT: RateLimitOptions = { max: 60, timeWindowMs: 60_000 };

export const analyticsApi: FastifyPluginAsync<AnalyticsApiOptions> = async (app, options) => {
  const now = options.now ?? (() => new Date());
  const ctx: ApiContext = {
    db: options.db,
    now,
    limits: { ...DEFAULT_PLANNER_LIMITS, ...options.limits },
    devices: new DeviceDirectory(options.db, options.deviceCacheMs ?? 10_000, () => now().getTime()),
  };
  installApiValidation(app);
  // The error body every route's 4xx/5xx refers to; the console adds it once at its root.
  if (app.getSchema(API_ERROR_SCHEMA.$id) === undefined) app.addSchema(API_ERROR_SCHEMA);
  const limit = options.rateLimit ?? DEFAULT_RATE_LIMIT;
  if (limit !== false) {
    await app.register(rateLimit, {
      global: true,
      max: limit.max,
      timeWindow: limit.timeWindowMs,
      errorResponseBuilder: (_request, context) =>
        Object.assign(SW_ANALYTICS_RATE_LIMITED([context.max, `${limit.timeWindowMs / 1000} s`, context.after]), { statusCode: context.statusCode }),
    });
  }
  registerMeasureRoutes(app, ctx);
  registerTrafficRoutes(app, ctx);
  registerAirRoutes(app, ctx);
  registerIncidentRoutes(app, ctx);
  registerForecastRoutes(app, ctx);
  registerPlannerRoutes(app, ctx);
  registerOpenDataRoutes(app, ctx, { rateLimit: limit === false ? false : (options.openDataRateLimit ?? DEFAULT_OPEN_DATA_RATE_LIMIT) });
};
