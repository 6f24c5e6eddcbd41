/**
 * Escalation outside the console: every few seconds each console node looks for critical incidents
 * still unacknowledged past their red threshold, claims each one with
 * `UPDATE … SET escalation_notified_at … WHERE escalation_notified_at IS NULL` (only one node's update
 * finds it unclaimed, so the webhook hears of it once however many nodes scan), and POSTs it to the
 * webhook. Every attempt is logged as incident_log `notified` (actor: system `console`), so operators see
 * it in the timeline. A delivery that fails on every attempt stays claimed: the log says so.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '@streetwise/db';
import { claimEscalation, recordIncidentLog, selectDueEscalations, type Actor, type IncidentView } from '@streetwise/incidents';
import { withDistrictNames } from '../district-names.js';
import type { DeskOptions } from './desk-settings.js';
import { deliverWebhook, type WebhookAttempt } from './escalation-webhook.js';

export const CONSOLE_ACTOR: Actor = Object.freeze({ kind: 'system', id: 'console' });

/** Why the webhook is told: the one reason there is today. */
export const ESCALATION_REASONS = ['critical_unacknowledged'] as const;
export type EscalationReason = (typeof ESCALATION_REASONS)[number];

/** The webhook's JSON body. */
export interface EscalationPayload {
  incident: IncidentView;
  reason: EscalationReason;
  /** When this node claimed it (ISO 8601); signed with the body, so receivers can refuse old replays. */
  at: string;
}

export interface EscalationScanner {
  /** Look once: claims what is due and starts sending it; resolves with the incidents this node claimed. */
  scanOnce(): Promise<string[]>;
  /** Resolves when every delivery started so far has finished. */
  idle(): Promise<void>;
  /** Stops scanning, cancels waits between attempts, and waits for deliveries in flight. */
  stop(): Promise<void>;
}

type WebhookOptions = DeskOptions & { webhookUrl: string; webhookSecret: string };

export function startEscalationScanner(db: Database, options: WebhookOptions, log: FastifyBaseLogger): EscalationScanner {
  const closing = new AbortController();
  const deliveries = new Set<Promise<void>>();
  const iso = (): string => new Date(options.clock()).toISOString();

  const logAttempt = async (incidentId: string, outcome: WebhookAttempt): Promise<void> => {
    const { host, status, attempt, attempts, ok } = outcome;
    try {
      await recordIncidentLog(db, incidentId, 'notified', CONSOLE_ACTOR, { host, status, attempt, attempts, ok, ...(outcome.error ? { error: outcome.error } : {}) });
    } catch (err) {
      log.error({ err, incidentId }, 'escalation webhook: could not log the attempt');
    }
    if (!ok) log.warn({ incidentId, host, status, attempt, attempts, error: outcome.error }, 'escalation webhook attempt failed');
  };

  const deliver = async (incident: IncidentView, at: string): Promise<void> => {
    const payload: EscalationPayload = { incident: withDistrictNames(incident), reason: 'critical_unacknowledged', at };
    const delivered = await deliverWebhook({
      url: options.webhookUrl, secret: options.webhookSecret, body: JSON.stringify(payload),
      attempts: options.webhookAttempts, backoffMs: options.webhookBackoffMs, timeoutMs: options.webhookTimeoutMs,
      signal: closing.signal, nowS: () => options.clock() / 1000,
      onAttempt: (outcome) => logAttempt(incident.id, outcome),
    });
    if (!delivered && !closing.signal.aborted) log.error({ incidentId: incident.id, attempts: options.webhookAttempts }, 'escalation webhook: gave up');
  };

  const scanOnce = async (): Promise<string[]> => {
    const claimed: string[] = [];
    for (const id of await selectDueEscalations(db, iso(), options.ackThresholds.critical.redS)) {
      if (closing.signal.aborted) break;
      const at = iso();
      const incident = await claimEscalation(db, id, at);
      if (incident === undefined) continue; // another node claimed it, or it was acknowledged meanwhile
      claimed.push(id);
      const delivery = deliver(incident, at).finally(() => deliveries.delete(delivery));
      deliveries.add(delivery);
    }
    return claimed;
  };

  let scanning: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    if (scanning) return; // the last scan is still running
    scanning = scanOnce()
      .catch((err: unknown) => log.error({ err }, 'escalation scan failed'))
      .finally(() => (scanning = undefined));
  }, options.scanIntervalMs);
  timer.unref();

  return {
    scanOnce,
    idle: async () => {
      while (deliveries.size > 0) await Promise.all([...deliveries]);
    },
    stop: async () => {
      clearInterval(timer);
      closing.abort();
      await scanning;
      await Promise.all([...deliveries]);
    },
  };
}
