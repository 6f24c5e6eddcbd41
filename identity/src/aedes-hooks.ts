import type { Aedes, AuthenticateError, Client } from 'aedes';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { DEFAULT_TOPIC_PREFIX } from '@streetwise/protocol';
import { checkConnect, checkPublish, checkSubscribe } from './authorize.js';
import type { CredentialCache } from './credential-cache.js';
import { authRefusedCounter } from './metrics.js';
import type { CredentialRecord, RefusalReason } from './types.js';

export interface IdentityHookOptions {
  credentials: CredentialCache;
  registry: Registry;
  logger: Logger;
  /** MQTT topic prefix. Default "streetwise"; "*" takes any (tests running many prefixes on one broker). */
  prefix?: string;
  /** Refuse (and count) every login over a plain, unencrypted connection. Default false. */
  requireTls?: boolean;
}

type AuthorizePublish = Aedes['authorizePublish'];

/**
 * Install the identity checks on an aedes broker: `authenticate` (username = credential id, token
 * against the cached SHA-256, client id agreeing), `authorizePublish` (the topic's device level is one
 * the credential speaks for) in front of whatever hook is there already (ingest's, which then stores
 * only what passed), and `authorizeSubscribe` (a device reads only its own downlink). Each refusal is
 * logged without the secret and counted in streetwise_broker_auth_refused_total{reason}.
 * In-process publishes (client null: ingest's or a stored will without its client) are the broker's own.
 */
export function installIdentityHooks(aedes: Aedes, options: IdentityHookOptions): void {
  const prefix = options.prefix ?? DEFAULT_TOPIC_PREFIX;
  const refused = authRefusedCounter(options.registry);
  const log = options.logger;
  const identities = new WeakMap<Client, CredentialRecord>();
  // Who is connected under each credential, so a revoke or block cuts them off at once.
  const connected = new Map<string, Set<Client>>();
  options.credentials.onChange((id, record) => {
    if (record !== undefined && record.status === 'active') return;
    const clients = [...(connected.get(id) ?? [])];
    connected.delete(id);
    if (clients.length === 0) return;
    log.warn({ username: id, clients: clients.length, status: record?.status ?? 'deleted' }, `credential ${record?.status ?? 'deleted'}: disconnecting its clients`);
    for (const client of clients) client.close();
  });

  const count = (reason: RefusalReason, fields: Record<string, unknown>, detail: string): void => {
    refused.inc({ reason });
    log.warn({ reason, ...fields }, `broker refused: ${detail}`);
  };

  aedes.authenticate = (client, username, password, callback) => {
    const attempt = { clientId: client.id, username, password };
    const done = (record: CredentialRecord | undefined): void => {
      const verdict = checkConnect(record, attempt, Date.now());
      if (verdict.ok) {
        identities.set(client, record!);
        const clients = connected.get(record!.id) ?? new Set<Client>();
        clients.add(client);
        connected.set(record!.id, clients);
        // The socket's end, however it ends (DISCONNECT, a drop, a takeover, a refusal), forgets the client.
        client.conn.once('close', () => clients.delete(client));
        callback(null, true);
        return;
      }
      count(verdict.reason, { clientId: client.id.slice(0, 64), username: username?.slice(0, 64) }, verdict.detail);
      const err = new Error(verdict.detail) as AuthenticateError;
      // CONNACK 4 (bad user name or password) for a wrong secret; 5 (not authorised) otherwise.
      err.returnCode = verdict.reason === 'wrong_token' || verdict.reason === 'no_credentials' || verdict.reason === 'unknown_credential' ? 4 : 5;
      callback(err, false);
    };
    if (options.requireTls === true && (client.conn as { encrypted?: boolean }).encrypted !== true) {
      count('plain_refused', { clientId: client.id.slice(0, 64), username: username?.slice(0, 64) }, 'plain MQTT is off: connect with mqtts:// to the TLS port');
      const err = new Error('TLS required') as AuthenticateError;
      err.returnCode = 5;
      return callback(err, false);
    }
    if (username === undefined || username === '') return done(undefined);
    options.credentials.get(username).then(done, (err: unknown) => {
      log.error({ err, clientId: client.id.slice(0, 64) }, 'credential lookup failed; connection refused');
      const refusal = new Error('server unavailable') as AuthenticateError;
      refusal.returnCode = 3;
      callback(refusal, false);
    });
  };

  // Identity stays in front of the publish hook, whatever is installed after it: ingest (created
  // later, once per run in tests) sets aedes.authorizePublish and keeps the value it read as its
  // "previous" — which is this check. A setter makes a later hook the inner one; when that inner hook
  // hands a packet back to its "previous" (a topic it does not own), the packet is already checked
  // and goes on to the hook that was there before identity.
  const base: AuthorizePublish = aedes.authorizePublish;
  let inner: AuthorizePublish = base;
  const passing = new WeakSet<object>();
  const checkedPublish: AuthorizePublish = (client, packet, callback) => {
    if (passing.has(packet)) return base.call(aedes, client, packet, callback);
    if (client !== null) {
      const record = identities.get(client);
      const verdict = record === undefined
        ? ({ ok: false, reason: 'no_credentials', detail: `client "${client.id.slice(0, 64)}" is not authenticated` } as const)
        : checkPublish(record, packet.topic, prefix);
      if (!verdict.ok) {
        count(verdict.reason, { clientId: client.id.slice(0, 64), username: record?.id, topic: packet.topic.slice(0, 200) }, verdict.detail);
        // MQTT 3.1.1 has no negative PUBACK: aedes closes the connection, and nothing reaches ingest.
        return callback(new Error(verdict.detail));
      }
    }
    passing.add(packet);
    inner.call(aedes, client, packet, (err) => {
      passing.delete(packet);
      callback(err);
    });
  };
  Object.defineProperty(aedes, 'authorizePublish', {
    configurable: true,
    enumerable: true,
    get: () => checkedPublish,
    set: (hook: AuthorizePublish) => {
      inner = hook;
    },
  });

  aedes.authorizeSubscribe = (client, subscription, callback) => {
    const record = identities.get(client);
    const verdict = record === undefined
      ? ({ ok: false, reason: 'no_credentials', detail: `client "${client.id.slice(0, 64)}" is not authenticated` } as const)
      : checkSubscribe(record, subscription.topic, prefix);
    if (verdict.ok) return callback(null, subscription);
    count(verdict.reason, { clientId: client.id.slice(0, 64), username: record?.id, filter: subscription.topic.slice(0, 200) }, verdict.detail);
    // null: the SUBACK says 0x80 (failure) for this filter; the connection stays.
    callback(null, null);
  };

}
