import type { FastifyPluginAsync } from 'fastify';
import { ErrorBody } from '@streetwise/analytics';
import { routeSchema } from '../route-schema.js';
import { DeskSettingsBody } from '../routes/desk-schemas.js';

/** What the desk's browser needs to know of the server's settings: timers, sound, whether a webhook is set. */
export const deskRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/desk/settings',
    { schema: routeSchema({ tags: ['incidents'], operationId: 'getDeskSettings', summary: 'The incident desk\'s thresholds per severity, alert sound and webhook status', response: { 200: DeskSettingsBody, 401: ErrorBody, 500: ErrorBody } }) },
    async () => {
      const { ackThresholds, soundSeverities, webhookUrl, webhookSecret } = app.desk.options;
      return { ackThresholds, soundSeverities, webhookConfigured: webhookUrl !== undefined && webhookSecret !== undefined };
    },
  );
};
