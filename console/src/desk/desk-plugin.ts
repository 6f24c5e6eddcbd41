/**
 * The incident desk's shared part (fastify-plugin): its options as `app.desk`, and, when a webhook is
 * set, the escalation scanner, stopped when the app closes.
 */
import fp from 'fastify-plugin';
import { resolveDeskOptions, type DeskOptions } from './desk-settings.js';
import { startEscalationScanner, type EscalationScanner } from './escalation-scanner.js';

declare module 'fastify' {
  interface FastifyInstance {
    desk: {
      options: DeskOptions;
      /** Present when ESCALATION_WEBHOOK_URL (and its secret) are set. */
      escalation: EscalationScanner | undefined;
    };
  }
}

export const deskPlugin = fp<Partial<DeskOptions>>(
  async (app, partial) => {
    const options = resolveDeskOptions(partial);
    const { webhookUrl, webhookSecret } = options;
    const escalation = webhookUrl !== undefined && webhookSecret !== undefined
      ? startEscalationScanner(app.db, { ...options, webhookUrl, webhookSecret }, app.log.child({ component: 'escalation' }))
      : undefined;
    app.decorate('desk', { options, escalation });
    app.addHook('onClose', async () => escalation?.stop());
  },
  { name: 'streetwise-desk', fastify: '5.x', dependencies: ['streetwise-database'] },
);
