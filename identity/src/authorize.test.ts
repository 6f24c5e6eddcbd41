import { describe, expect, it } from 'vitest';
import { checkConnect, checkPublish, checkSubscribe } from './authorize.js';
import { parseScope, scopeAllows } from './scope.js';
import { generateToken, hashToken, tokenMatches } from './token.js';
import type { CredentialRecord } from './types.js';

const NOW = Date.UTC(2026, 0, 1);
const token = 'the-current-token';
const old = 'the-previous-token';
const record = (over: Partial<CredentialRecord> = {}): CredentialRecord => ({
  id: 'cam-1', kind: 'device', tokenSha256: hashToken(token), previousSha256: null, previousValidUntilMs: null, scope: [], status: 'active', ...over,
});
const reason = (v: ReturnType<typeof checkConnect>): string => (v.ok ? 'ok' : v.reason);

describe('tokens', () => {
  it('are 256 random bits in base64url, stored as a 32-byte SHA-256, compared exactly', () => {
    const t = generateToken();
    expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(generateToken()).not.toBe(t);
    expect(hashToken('abc').toString('hex')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(tokenMatches(t, hashToken(t))).toBe(true);
    expect(tokenMatches(`${t}x`, hashToken(t))).toBe(false);
  });
});

describe('checkConnect', () => {
  it('needs a username and token, a known credential, the right token, an active status, and the client id agreeing', () => {
    expect(reason(checkConnect(record(), { clientId: 'cam-1', username: 'cam-1', password: Buffer.from(token) }, NOW))).toBe('ok');
    expect(reason(checkConnect(record(), { clientId: 'cam-1', username: undefined, password: undefined }, NOW))).toBe('no_credentials');
    expect(reason(checkConnect(undefined, { clientId: 'cam-1', username: 'cam-1', password: token }, NOW))).toBe('unknown_credential');
    expect(reason(checkConnect(record(), { clientId: 'cam-1', username: 'cam-1', password: 'nope' }, NOW))).toBe('wrong_token');
    expect(reason(checkConnect(record({ status: 'revoked' }), { clientId: 'cam-1', username: 'cam-1', password: token }, NOW))).toBe('revoked');
    expect(reason(checkConnect(record({ status: 'blocked' }), { clientId: 'cam-1', username: 'cam-1', password: token }, NOW))).toBe('blocked');
    // A wrong token on a blocked device says only "wrong token": the status is told to its owner alone.
    expect(reason(checkConnect(record({ status: 'blocked' }), { clientId: 'cam-1', username: 'cam-1', password: 'nope' }, NOW))).toBe('wrong_token');
    expect(reason(checkConnect(record(), { clientId: 'cam-2', username: 'cam-1', password: token }, NOW))).toBe('client_id_mismatch');
  });
  it('accepts the previous token until its grace ends, not a moment after', () => {
    const rotated = record({ previousSha256: hashToken(old), previousValidUntilMs: NOW + 1000 });
    expect(reason(checkConnect(rotated, { clientId: 'cam-1', username: 'cam-1', password: old }, NOW + 999))).toBe('ok');
    expect(reason(checkConnect(rotated, { clientId: 'cam-1', username: 'cam-1', password: old }, NOW + 1000))).toBe('wrong_token');
  });
  it('lets a gateway use its name or a client id from its scope, and a service "<name>-<k>"', () => {
    const gw = record({ id: 'fleet', kind: 'gateway', scope: ['sim-*', 'cam-9'] });
    const attempt = (clientId: string) => reason(checkConnect(gw, { clientId, username: 'fleet', password: token }, NOW));
    expect([attempt('fleet'), attempt('sim-cam-1'), attempt('cam-9'), attempt('cam-1')]).toEqual(['ok', 'ok', 'ok', 'client_id_mismatch']);
    const ingest = record({ id: 'ing', kind: 'ingest' });
    expect(reason(checkConnect(ingest, { clientId: 'ing-3', username: 'ing', password: token }, NOW))).toBe('ok');
    expect(reason(checkConnect(ingest, { clientId: 'ingx', username: 'ing', password: token }, NOW))).toBe('client_id_mismatch');
  });
});

describe('checkPublish and checkSubscribe', () => {
  const p = (r: CredentialRecord, topic: string): string => { const v = checkPublish(r, topic, 'sw'); return v.ok ? 'ok' : v.reason; };
  const s = (r: CredentialRecord, filter: string): string => { const v = checkSubscribe(r, filter, 'sw'); return v.ok ? 'ok' : v.reason; };
  it('a device writes uplinks under its own id only, never config, never outside the prefix', () => {
    const d = record();
    expect([p(d, 'sw/v1/cam-1/event'), p(d, 'sw/v1/cam-1/selfie'), p(d, 'sw/v1/cam-2/event'), p(d, 'sw/v1/cam-1/config'), p(d, 'other/v1/cam-1/event'), p(d, 'sw/v1/cam-1')])
      .toEqual(['ok', 'ok', 'other_device', 'kind_not_allowed', 'outside_scope', 'ok']);
  });
  it('a gateway writes uplinks for its scope; a downlink credential config only; ingest nothing', () => {
    const gw = record({ id: 'fleet', kind: 'gateway', scope: ['sim-*'] });
    expect([p(gw, 'sw/v1/sim-7/telemetry'), p(gw, 'sw/v1/cam-1/telemetry'), p(gw, 'sw/v1/sim-7/config')]).toEqual(['ok', 'outside_scope', 'kind_not_allowed']);
    const console_ = record({ id: 'console', kind: 'downlink' });
    expect([p(console_, 'sw/v1/cam-1/config'), p(console_, 'sw/v1/cam-1/event')]).toEqual(['ok', 'kind_not_allowed']);
    expect(p(record({ id: 'ing', kind: 'ingest' }), 'sw/v1/cam-1/event')).toBe('kind_not_allowed');
  });
  it('a device reads its own downlink only; a gateway its scope\'s; ingest the uplinks, shared or not', () => {
    const d = record();
    expect([s(d, 'sw/v1/cam-1/config'), s(d, 'sw/v1/cam-2/config'), s(d, 'sw/v1/+/config'), s(d, 'sw/v1/cam-1/#')]).toEqual(['ok', 'subscribe_denied', 'subscribe_denied', 'subscribe_denied']);
    const gw = record({ id: 'fleet', kind: 'gateway', scope: ['sim-*'] });
    expect([s(gw, 'sw/v1/sim-1/config'), s(gw, 'sw/v1/+/config'), s(gw, 'sw/v1/cam-1/config')]).toEqual(['ok', 'subscribe_denied', 'subscribe_denied']);
    const ing = record({ id: 'ing', kind: 'ingest' });
    expect([s(ing, 'sw/v1/+/+'), s(ing, '$share/g/sw/v1/+/+'), s(ing, 'sw/v1/+/config'), s(ing, '#')]).toEqual(['ok', 'ok', 'subscribe_denied', 'subscribe_denied']);
  });
  it('takes any prefix when told "*" (tests)', () => {
    expect(checkPublish(record(), 'run-1/v1/cam-1/event', '*').ok).toBe(true);
    expect(checkPublish(record(), 'run-1/v1/cam-2/event', '*').ok).toBe(false);
  });
});

describe('scopes', () => {
  it('parse ids and prefixes, refuse anything else, and match', () => {
    expect(parseScope('sim-*, cam-7')).toEqual(['sim-*', 'cam-7']);
    expect(() => parseScope('')).toThrow(/SW_IDENTITY_SCOPE_INVALID|scope/);
    expect(() => parseScope('cam/7')).toThrow(/device id/);
    expect([scopeAllows(['sim-*'], 'sim-1'), scopeAllows(['sim-*'], 'sam-1'), scopeAllows(['*'], 'x'), scopeAllows(['cam-7'], 'cam-70')]).toEqual([true, false, true, false]);
  });
});
