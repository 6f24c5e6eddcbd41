/** What a credential may do: speak for itself, for the devices in its scope, write downlinks, or read uplinks. */
export type CredentialKind = 'device' | 'gateway' | 'downlink' | 'ingest';
export const CREDENTIAL_KINDS: readonly CredentialKind[] = ['device', 'gateway', 'downlink', 'ingest'];

export type CredentialStatus = 'active' | 'revoked' | 'blocked';

/** One row of the registry (device_credentials), as the broker needs it. */
export interface CredentialRecord {
  /** MQTT username: the device id, gateway name or service name. */
  id: string;
  kind: CredentialKind;
  tokenSha256: Buffer;
  previousSha256: Buffer | null;
  /** The previous token is accepted until then (ms since the epoch), after a rotation. */
  previousValidUntilMs: number | null;
  scope: string[];
  status: CredentialStatus;
}

/** Why the broker refused something: the `reason` label of streetwise_broker_auth_refused_total. */
export type RefusalReason =
  | 'no_credentials'
  | 'unknown_credential'
  | 'wrong_token'
  | 'revoked'
  | 'blocked'
  | 'client_id_mismatch'
  | 'other_device'
  | 'outside_scope'
  | 'kind_not_allowed'
  | 'subscribe_denied'
  | 'plain_refused';

export const REFUSAL_REASONS: readonly RefusalReason[] = [
  'no_credentials', 'unknown_credential', 'wrong_token', 'revoked', 'blocked', 'client_id_mismatch',
  'other_device', 'outside_scope', 'kind_not_allowed', 'subscribe_denied', 'plain_refused',
];

export type Verdict = { ok: true } | { ok: false; reason: RefusalReason; detail: string };
