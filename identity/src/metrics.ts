import { Counter, type Registry } from 'prom-client';
import { REFUSAL_REASONS, type RefusalReason } from './types.js';

export const AUTH_REFUSED_METRIC = 'streetwise_broker_auth_refused_total';

/** Refusals by reason, on the registry /metrics serves; reused when the registry already has it. */
export function authRefusedCounter(registry: Registry): Counter<'reason'> {
  const existing = registry.getSingleMetric(AUTH_REFUSED_METRIC);
  if (existing !== undefined) return existing as Counter<'reason'>;
  const counter = new Counter({
    name: AUTH_REFUSED_METRIC,
    help: 'Connections, publishes and subscriptions the broker refused, by reason',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  for (const reason of REFUSAL_REASONS) counter.inc({ reason: reason satisfies RefusalReason }, 0);
  return counter;
}
