import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyServerOptions } from 'fastify';
import type { Registry } from 'prom-client';
import type { Database } from '@streetwise/db';
import { analyticsApi, API_TAGS, installApiValidation, SCHEMA_REF_RESOLVER, type AnalyticsApiOptions } from '@streetwise/analytics';
import { API_ERROR_SCHEMA, apiErrorHandler, apiNotFoundHandler } from '@streetwise/errors';
import { databasePlugin } from './plugins/database.js';
import { metricsPlugin } from './plugins/metrics.js';
import { healthPlugin, type HealthChecks } from './plugins/health.js';
import { realtimePlugin, type RealtimeOptions } from './plugins/realtime.js';
import { deviceRoutes } from './routes/devices.js';
import { incidentRoutes } from './routes/incidents.js';
import { incidentChangeRoutes } from './routes/incident-changes.js';
import { eventRoutes } from './routes/events.js';
import { credentialRoutes } from './routes/credentials.js';
import { unitRoutes } from './routes/units.js';
import { deskPlugin } from './desk/desk-plugin.js';
import { deskRoutes } from './desk/desk-routes.js';
import type { DeskOptions } from './desk/desk-settings.js';
import { webApp, type WebAppOptions } from './routes/web-app.js';
import { accountsPlugin } from './accounts/accounts-plugin.js';
import type { AccountsOptions } from './accounts/accounts-options.js';
import { openApiSecurityTransform, SECURITY_SCHEMES, SIGNED_IN_SECURITY } from './accounts/openapi-security.js';
import { sessionRoutes } from './accounts/session-routes.js';
import { authenticateSockets } from './accounts/socket-auth.js';
import { userRoutes } from './accounts/user-routes.js';
import { createDownlinkPublisher, NO_DOWNLINK } from './fleet/downlink-publisher.js';
import { fleetRoutes } from './fleet/fleet-routes.js';
import type { DownlinkOptions } from './fleet/fleet-settings.js';

export interface ConsoleOptions {
  db: Database;
  /** Named health checks for /api/health (broker, ingest, …); the database check is added here. */
  checks?: HealthChecks;
  /** Prometheus registry shared with the rest of the process. Default: a new one. */
  registry?: Registry;
  /** redis://… for the socket.io Redis adapter when several console nodes serve one city. */
  redisUrl?: string;
  /** fastify logger: a pino instance or options. Default: off. */
  logger?: FastifyServerOptions['loggerInstance'];
  /** Options of the planners' analytics API under /api/v1 (rate limits, clock); false leaves it out. */
  analytics?: Omit<AnalyticsApiOptions, 'db'> | false;
  /** Extra plugins registered under /api/v1. */
  apiPlugins?: Array<{ plugin: FastifyPluginAsync; options?: Record<string, unknown> }>;
  /** Serve HTTPS with this PEM certificate (chain) and key instead of plain HTTP. Default: plain HTTP. */
  https?: { cert: Buffer; key: Buffer };
  /** Sessions, lockout, login rate limit, clock (console/src/accounts/accounts-options.ts). */
  accounts?: Partial<AccountsOptions>;
  /** The incident desk: time-to-acknowledge thresholds, the escalation webhook, its clock (console/src/desk/desk-settings.ts). */
  desk?: Partial<DeskOptions>;
  /** Where the built web app is (default console/web/dist). */
  webApp?: WebAppOptions;
  /** Seconds GET /incidents/changes re-reads before the caller's last change (late commits). Default 5. */
  catchUpOverlapS?: number;
  /** Timing of the devices:diff feed (tests shorten it). */
  deviceDiff?: RealtimeOptions['deviceDiff'];
  /** The broker and `downlink` credential the fleet view publishes config pushes with; without it pushes answer 503. */
  downlink?: DownlinkOptions;
}

/** Build the console app without listening, so tests can use app.inject(). server.ts listens. */
export async function build(options: ConsoleOptions): Promise<FastifyInstance> {
  // fastify types an HTTPS instance apart; the routes and plugins are the same, so it is typed as the plain one.
  const serverOptions: FastifyServerOptions & { https?: { cert: Buffer; key: Buffer; minVersion: 'TLSv1.2' } } = {
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    ...(options.https ? { https: { ...options.https, minVersion: 'TLSv1.2' as const } } : {}),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
    bodyLimit: 64 * 1024,
  };
  const app = Fastify(serverOptions);
  // One error handler for the whole app (so /api/v1 and the analytics plugin under it answer alike):
  // { statusCode, error, code, message, parameter?, allowed? }, 5xx logged and answered without internals.
  app.setErrorHandler(apiErrorHandler);
  app.addSchema(API_ERROR_SCHEMA);
  await app.register(databasePlugin, { db: options.db });
  // Before any route: it checks each route against the role matrix as it is registered.
  await app.register(accountsPlugin, options.accounts ?? {});
  await app.register(swagger, {
    refResolver: SCHEMA_REF_RESOLVER,
    transform: openApiSecurityTransform,
    openapi: {
      components: { securitySchemes: SECURITY_SCHEMES },
      security: SIGNED_IN_SECURITY,
      info: {
        title: 'Streetwise API',
        version: '1.0.0',
        description: 'Operators\' and planners\' API. Every input and output has a JSON Schema; every error is an ApiError naming the parameter at fault.',
      },
      // Relative: the document is served by the console it describes.
      servers: [{ url: '/', description: 'the console that serves this document' }],
      tags: [
        { name: 'system', description: 'health and metrics' },
        { name: 'devices', description: 'the registered fleet' },
        { name: 'incidents', description: 'incidents, operator actions and the desk\'s settings' },
        { name: 'units', description: 'the response units operators dispatch (admins manage them)' },
        { name: 'events', description: 'events and dead letters' },
        { name: 'session', description: 'signing in and out, one\'s password and personal API tokens' },
        { name: 'accounts', description: 'users and tokens (admins)' },
        { name: 'credentials', description: 'who may speak on the MQTT broker: devices\', gateways\' and services\' credentials (admins)' },
        { name: 'fleet', description: 'the fleet\'s health and config pushes to devices, audited (admins)' },
        ...(options.analytics === false ? [] : API_TAGS),
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(metricsPlugin, { ...(options.registry ? { registry: options.registry } : {}) });
  await app.register(healthPlugin, {
    checks: {
      database: async () => ((await options.db.ping()) ? { status: 'up' } : { status: 'down', detail: 'database does not answer' }),
      ...options.checks,
    },
  });
  await app.register(deskPlugin, options.desk ?? {});
  await app.register(realtimePlugin, { ...(options.redisUrl ? { redisUrl: options.redisUrl } : {}), ...(options.deviceDiff ? { deviceDiff: options.deviceDiff } : {}) });
  const liveFeedAuth = authenticateSockets(app.io, options.db, app.accounts.options, app.log);
  app.addHook('onClose', async () => liveFeedAuth.stop());
  const downlink = options.downlink ? createDownlinkPublisher(options.downlink, app.log) : NO_DOWNLINK;
  app.addHook('onClose', async () => downlink.close());
  await app.register(
    async (api) => {
      // The analytics routes' query validation (own Ajv, comma-separated lists) for every /api/v1 route.
      installApiValidation(api);
      api.setNotFoundHandler(apiNotFoundHandler);
      await api.register(sessionRoutes, { options: app.accounts.options, onSignOut: (idHash: string) => liveFeedAuth.disconnectSession(idHash) });
      await api.register(userRoutes, { options: app.accounts.options });
      await api.register(deviceRoutes);
      // Before incidentRoutes: /incidents/changes beside /incidents/:id.
      await api.register(incidentChangeRoutes(options.catchUpOverlapS !== undefined ? { overlapS: options.catchUpOverlapS } : {}));
      await api.register(incidentRoutes);
      await api.register(unitRoutes);
      await api.register(deskRoutes);
      await api.register(eventRoutes);
      await api.register(credentialRoutes);
      await api.register(fleetRoutes, { downlink });
      if (options.analytics !== false) await api.register(analyticsApi, { ...options.analytics, db: options.db });
      for (const { plugin, options: pluginOptions } of options.apiPlugins ?? []) await api.register(plugin, pluginOptions ?? {});
    },
    { prefix: '/api/v1' },
  );
  await app.register(webApp, options.webApp ?? {});
  return app;
}
