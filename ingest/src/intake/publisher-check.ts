/**
 * May this MQTT client publish on this device's topic? Only the embedded broker tells ingest who
 * published (client id); on an external broker this is the broker's ACL job.
 *
 * A device speaks for itself: its client id equals its device id. Gateways (e.g. the simulator
 * fleet, which publishes for many devices over few connections) are allow-listed by client id.
 * Patterns are exact ids, or a prefix ending in "*" ("fleet-*").
 */
export function matchesClientPattern(clientId: string, patterns: readonly string[]): boolean {
  for (const pattern of patterns) {
    if (pattern.endsWith('*') ? clientId.startsWith(pattern.slice(0, -1)) : clientId === pattern) return true;
  }
  return false;
}

export type PublisherVerdict = { ok: true } | { ok: false; reason: string };

export interface PublisherPolicy {
  /** Client ids (or "prefix*") allowed to publish uplinks for any device. */
  trustedPublishers: readonly string[];
  /** Client ids (or "prefix*") allowed to publish downlink config (the console). */
  downlinkPublishers: readonly string[];
}

/** clientId null: the broker itself (an in-process publish or a stored will); trusted. */
export function checkPublisher(
  clientId: string | null,
  topicDeviceId: string,
  kind: string,
  policy: PublisherPolicy,
): PublisherVerdict {
  if (clientId === null) return { ok: true };
  if (kind === 'config') {
    return matchesClientPattern(clientId, policy.downlinkPublishers)
      ? { ok: true }
      : { ok: false, reason: `client "${clientId.slice(0, 64)}" may not publish config (a downlink) for device "${topicDeviceId}"` };
  }
  if (clientId === topicDeviceId || matchesClientPattern(clientId, policy.trustedPublishers)) return { ok: true };
  return { ok: false, reason: `client "${clientId.slice(0, 64)}" may not publish for device "${topicDeviceId}"` };
}
