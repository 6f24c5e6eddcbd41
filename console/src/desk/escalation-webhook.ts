/**
 * One escalation POSTed to the webhook: signed with HMAC-SHA256 over the raw body, tried again with
 * exponential backoff until a 2xx or the last attempt. Every attempt's outcome goes to `onAttempt` (the
 * scanner logs it as incident_log `notified`). Neither the secret nor the URL's path and query (which
 * often hold a token) leave this file: outcomes name the host only.
 */
import { createHmac } from 'node:crypto';
import { setTimeout as wait } from 'node:timers/promises';

export const SIGNATURE_HEADER = 'x-streetwise-signature';
export const TIMESTAMP_HEADER = 'x-streetwise-timestamp';

/** `sha256=<hex>`: HMAC-SHA256 of the exact bytes of the body, keyed by the shared secret. */
export function signWebhookBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** What one attempt came to: the HTTP status, or why there was none. */
export interface WebhookAttempt {
  attempt: number;
  attempts: number;
  /** The receiver's HTTP status; null when it did not answer. */
  status: number | null;
  ok: boolean;
  /** Why there was no status. */
  error?: 'timeout' | 'network';
  /** The receiver's host (and port): never the path, the query or the secret. */
  host: string;
}

export interface WebhookDelivery {
  url: string;
  secret: string;
  /** The JSON text sent, exactly as signed. */
  body: string;
  attempts: number;
  backoffMs: number;
  timeoutMs: number;
  /** Stops waiting and trying (the console is closing). */
  signal: AbortSignal;
  /** Seconds since the epoch for `x-streetwise-timestamp`. */
  nowS: () => number;
  onAttempt: (outcome: WebhookAttempt) => Promise<void>;
}

/** Sends until a 2xx or `attempts` tries; waits backoffMs × 2^(n−1) before try n+1. True when delivered. */
export async function deliverWebhook(delivery: WebhookDelivery): Promise<boolean> {
  const host = new URL(delivery.url).host;
  const signature = signWebhookBody(delivery.secret, delivery.body);
  for (let attempt = 1; attempt <= delivery.attempts; attempt++) {
    if (delivery.signal.aborted) return false;
    const outcome = await tryOnce(delivery, signature, { attempt, attempts: delivery.attempts, host });
    await delivery.onAttempt(outcome);
    if (outcome.ok) return true;
    if (attempt === delivery.attempts) break;
    try {
      await wait(delivery.backoffMs * 2 ** (attempt - 1), undefined, { signal: delivery.signal });
    } catch {
      return false; // aborted while waiting
    }
  }
  return false;
}

async function tryOnce(delivery: WebhookDelivery, signature: string, base: Pick<WebhookAttempt, 'attempt' | 'attempts' | 'host'>): Promise<WebhookAttempt> {
  const timeout = AbortSignal.timeout(delivery.timeoutMs);
  try {
    const res = await fetch(delivery.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [SIGNATURE_HEADER]: signature,
        [TIMESTAMP_HEADER]: String(Math.floor(delivery.nowS())),
        'user-agent': 'streetwise-console',
      },
      body: delivery.body,
      redirect: 'manual',
      signal: AbortSignal.any([timeout, delivery.signal]),
    });
    // The answer's body is not needed; reading it frees the connection.
    await res.arrayBuffer().catch(() => undefined);
    return { ...base, status: res.status, ok: res.status >= 200 && res.status < 300 };
  } catch {
    return { ...base, status: null, ok: false, error: timeout.aborted ? 'timeout' : 'network' };
  }
}
