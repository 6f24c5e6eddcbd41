import { PROTOCOL_VERSION } from '@streetwise/protocol';
import { scopeAllows } from './scope.js';
import { tokenMatches } from './token.js';
import type { CredentialRecord, Verdict } from './types.js';

/**
 * The broker's decisions, pure (no I/O): may this connection log in, publish on this topic, subscribe
 * to this filter? The aedes hooks and the Mosquitto ACL generator both follow these rules.
 */
const OK: Verdict = { ok: true };
const refuse = (reason: Extract<Verdict, { ok: false }>['reason'], detail: string): Verdict => ({ ok: false, reason, detail });

export interface ConnectAttempt {
  clientId: string;
  username: string | undefined;
  password: Buffer | string | undefined;
}

/** Username = credential id; a device's client id must be its device id too. */
export function checkConnect(record: CredentialRecord | undefined, attempt: ConnectAttempt, nowMs: number): Verdict {
  const { clientId, username, password } = attempt;
  if (username === undefined || username === '' || password === undefined || password.length === 0) {
    return refuse('no_credentials', `client "${clientId.slice(0, 64)}" gave no username and token`);
  }
  if (record === undefined) return refuse('unknown_credential', `no credential "${username.slice(0, 64)}"`);
  const current = tokenMatches(password, record.tokenSha256);
  const previous = !current && record.previousSha256 !== null && record.previousValidUntilMs !== null && nowMs < record.previousValidUntilMs && tokenMatches(password, record.previousSha256);
  if (!current && !previous) return refuse('wrong_token', `wrong token for "${record.id}"`);
  if (record.status === 'revoked') return refuse('revoked', `credential "${record.id}" is revoked`);
  if (record.status === 'blocked') return refuse('blocked', `credential "${record.id}" is blocked`);
  if (!clientIdAllowed(record, clientId)) return refuse('client_id_mismatch', `credential "${record.id}" (${record.kind}) may not use client id "${clientId.slice(0, 64)}"`);
  return OK;
}

/** device: its own id; gateway: its name or a device in its scope; services: their name or "<name>-<k>". */
export function clientIdAllowed(record: CredentialRecord, clientId: string): boolean {
  switch (record.kind) {
    case 'device':
      return clientId === record.id;
    case 'gateway':
      return clientId === record.id || scopeAllows(record.scope, clientId);
    case 'downlink':
    case 'ingest':
      return clientId === record.id || clientId.startsWith(`${record.id}-`);
  }
}

/**
 * The device level and the rest of a topic under `<prefix>/v1/`, or undefined outside it. prefix "*"
 * takes any prefix (up to the first "/v1/"): for tests that run one broker under many prefixes.
 */
export function splitTopic(topic: string, prefix: string): { device: string; rest: string } | undefined {
  const marker = `/${PROTOCOL_VERSION}/`;
  let start: number;
  if (prefix === '*') {
    const at = topic.indexOf(marker);
    if (at <= 0) return undefined;
    start = at + marker.length;
  } else {
    const head = `${prefix}${marker}`;
    if (!topic.startsWith(head)) return undefined;
    start = head.length;
  }
  const tail = topic.slice(start);
  const slash = tail.indexOf('/');
  return slash < 0 ? { device: tail, rest: '' } : { device: tail.slice(0, slash), rest: tail.slice(slash + 1) };
}

/**
 * Devices and gateways write uplinks, only under the device level they speak for (what follows is
 * ingest's to judge: an unknown kind there becomes a dead letter). Downlink credentials write config
 * topics and nothing else; ingest credentials write nothing.
 */
export function checkPublish(record: CredentialRecord, topic: string, prefix: string): Verdict {
  const parts = splitTopic(topic, prefix);
  if (parts === undefined) return refuse('outside_scope', `"${record.id}" may not publish outside ${prefix}/${PROTOCOL_VERSION}/ (topic "${topic.slice(0, 120)}")`);
  const isConfig = parts.rest === 'config';
  switch (record.kind) {
    case 'device':
      if (parts.device !== record.id) return refuse('other_device', `device "${record.id}" may not publish under device "${parts.device.slice(0, 64)}"`);
      return isConfig ? refuse('kind_not_allowed', `device "${record.id}" may not publish its own config (a downlink)`) : OK;
    case 'gateway':
      if (!scopeAllows(record.scope, parts.device)) return refuse('outside_scope', `gateway "${record.id}" may not speak for device "${parts.device.slice(0, 64)}"`);
      return isConfig ? refuse('kind_not_allowed', `gateway "${record.id}" may not publish config (a downlink)`) : OK;
    case 'downlink':
      if (!isConfig) return refuse('kind_not_allowed', `downlink credential "${record.id}" may publish config topics only, not "${topic.slice(0, 120)}"`);
      return record.scope.length === 0 || scopeAllows(record.scope, parts.device) ? OK : refuse('outside_scope', `"${record.id}" may not configure device "${parts.device}"`);
    case 'ingest':
      return refuse('kind_not_allowed', `ingest credential "${record.id}" may not publish`);
  }
}

/** Devices subscribe to their own downlink, gateways to their devices' downlinks, ingest to uplinks. */
export function checkSubscribe(record: CredentialRecord, filter: string, prefix: string): Verdict {
  if (record.kind === 'ingest') {
    const unshared = filter.startsWith('$share/') ? filter.split('/').slice(2).join('/') : filter;
    const parts = splitTopic(unshared, prefix);
    if (parts !== undefined && parts.device.length > 0 && !parts.rest.startsWith('config')) return OK;
    return refuse('subscribe_denied', `ingest credential "${record.id}" may subscribe to uplinks only, not "${filter.slice(0, 120)}"`);
  }
  const parts = splitTopic(filter, prefix);
  const ownDownlink =
    parts !== undefined && parts.rest === 'config' &&
    ((record.kind === 'device' && parts.device === record.id) || (record.kind === 'gateway' && !parts.device.includes('+') && !parts.device.includes('#') && scopeAllows(record.scope, parts.device)));
  return ownDownlink ? OK : refuse('subscribe_denied', `"${record.id}" (${record.kind}) may not subscribe to "${filter.slice(0, 120)}"`);
}
