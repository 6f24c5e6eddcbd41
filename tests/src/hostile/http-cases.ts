/**
 * The HTTP half of the hostile case table, for the console app through app.inject: SQL injection in every
 * parameter of every GET route the OpenAPI document lists, bad bodies, forged cookies and bearer tokens,
 * state changes without their CSRF token, a stale incident version. Each case names the status it must get
 * and the error code of the one API error shape.
 */
import type { InjectOptions } from 'fastify';
import { SQL_INJECTIONS } from './mqtt-cases.js';

export interface HttpCase {
  category: string;
  label: string;
  /** 'later': the console whose clock stands after every session's end (same database). */
  app?: 'now' | 'later';
  request: InjectOptions;
  /** Allowed statuses; a 4xx must carry `code` (a string or a pattern). */
  status: number[];
  code?: string | RegExp;
  /** When set, a 400 must name this parameter (or one of `required` the request left out). */
  parameter?: string;
  required?: string[];
}

interface OpenApiParameter {
  in: 'query' | 'path' | 'header';
  name: string;
  required?: boolean;
  schema?: { type?: string; enum?: unknown[] };
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: OpenApiParameter[] }>>;
}

export interface Credentials {
  /** Authorization header of an admin's personal token. */
  admin: { authorization: string };
  /** A revoked token's header. */
  revoked: { authorization: string };
  /** A signed-in browser session, and a second one (its CSRF token belongs to another session). */
  session: { cookie: string; 'x-csrf-token': string };
  otherSession: { cookie: string; 'x-csrf-token': string };
  /** The cookie of a session that was signed out. */
  signedOutCookie: string;
  /** A session used only on the console whose clock stands after its end (which deletes it). */
  expiringCookie: string;
  /** An incident and the version it had before an operator acted on it. */
  incident: { id: string; staleVersion: number };
}

const BAD_PARAMETER = /^SW_(API_BAD_PARAMETER|ANALYTICS_[A-Z0-9_]+)$/;

/** Every GET route's every parameter, each given one SQL-injection string (they take turns). */
export function parameterCases(doc: OpenApiDocument, auth: { authorization: string }): HttpCase[] {
  const cases: HttpCase[] = [];
  let turn = 0;
  for (const [path, operations] of Object.entries(doc.paths)) {
    const parameters = operations.get?.parameters ?? [];
    for (const parameter of parameters) {
      const injection = SQL_INJECTIONS[turn++ % SQL_INJECTIONS.length]!;
      const url = parameter.in === 'path'
        ? path.replace(`{${parameter.name}}`, encodeURIComponent(injection))
        : `${path.replace(/\{[^}]+\}/g, '00000000-0000-7000-8000-000000000000')}?${new URLSearchParams({ [parameter.name]: injection }).toString()}`;
      // Free text (a road, an event type, a reason code) may match nothing: 200 with no rows is a right answer too.
      cases.push({
        category: 'http: SQL injection in every GET parameter (from the OpenAPI document)',
        label: `GET ${path} ${parameter.in}:${parameter.name} = ${injection}`,
        request: { method: 'GET', url, headers: auth },
        status: [200, 400, 404],
        code: BAD_PARAMETER,
        parameter: parameter.name,
        required: parameters.filter((p) => p.required && p.name !== parameter.name).map((p) => p.name),
      });
    }
  }
  return cases;
}

export function requestCases(c: Credentials): HttpCase[] {
  const cases: HttpCase[] = [];
  const add = (category: string, label: string, request: InjectOptions, status: number[], code?: string | RegExp, app: 'now' | 'later' = 'now'): void =>
    void cases.push({ category, label, request, status, ...(code === undefined ? {} : { code }), app });
  const json = { 'content-type': 'application/json' };

  // Bodies (sign-in is public, so the body is all that is judged).
  const signIn = (label: string, payload: string, status: number[], code: string | RegExp, headers: Record<string, string> = json): void =>
    add('http: bad bodies', label, { method: 'POST', url: '/api/v1/session', headers, payload }, status, code);
  signIn('truncated JSON', '{"username":"a","password":', [400], 'SW_API_BAD_REQUEST');
  signIn('NaN in JSON', '{"username":"a","password":NaN}', [400], 'SW_API_BAD_REQUEST');
  signIn('__proto__ key', '{"__proto__":{"isAdmin":true},"username":"a","password":"b"}', [400], /^SW_API_BAD_(REQUEST|PARAMETER)$/);
  signIn('constructor.prototype key', '{"constructor":{"prototype":{"isAdmin":true}},"username":"a","password":"b"}', [400], /^SW_API_BAD_(REQUEST|PARAMETER)$/);
  signIn('an extra key', '{"username":"a","password":"b","role":"admin"}', [400], 'SW_API_BAD_PARAMETER');
  signIn('an array instead of an object', '[{"username":"a","password":"b"}]', [400], /^SW_API_BAD_(REQUEST|PARAMETER)$/);
  signIn('nesting 5,000 deep', `${'['.repeat(5000)}${']'.repeat(5000)}`, [400], /^SW_API_BAD_(REQUEST|PARAMETER)$/);
  signIn('a 70 KiB body', JSON.stringify({ username: 'a', password: 'x'.repeat(70 * 1024) }), [413], 'SW_API_BAD_REQUEST');
  signIn('a 200-character user name', JSON.stringify({ username: 'u'.repeat(200), password: 'b' }), [400], 'SW_API_BAD_PARAMETER');
  signIn('text/plain instead of JSON', 'username=a&password=b', [400, 415], /^SW_API_BAD_(REQUEST|PARAMETER)$/, { 'content-type': 'text/plain' });
  signIn('a user name with a NUL character', JSON.stringify({ username: 'adm\u0000in', password: 'b' }), [400, 401], /^SW_(API_BAD_PARAMETER|CONSOLE_LOGIN_FAILED)$/);
  for (const injection of SQL_INJECTIONS) signIn(`SQL injection as the user name: ${injection}`, JSON.stringify({ username: injection, password: injection }), [401], 'SW_CONSOLE_LOGIN_FAILED');
  add('http: bad bodies', 'a token label with a NUL character', { method: 'POST', url: '/api/v1/session/tokens', headers: { ...c.session, ...json }, payload: JSON.stringify({ label: 'a\u0000b' }) }, [400], 'SW_API_BAD_PARAMETER');
  add('http: bad bodies', 'a lone surrogate in a token label', { method: 'POST', url: '/api/v1/session/tokens', headers: { ...c.session, ...json }, payload: '{"label":"a\\ud800b"}' }, [400], 'SW_API_BAD_PARAMETER');
  add('http: bad bodies', 'a NUL character in an incident note', { method: 'POST', url: `/api/v1/incidents/${c.incident.id}/dispatch`, headers: { ...c.admin, ...json }, payload: JSON.stringify({ note: 'sent\u0000' }) }, [400], 'SW_API_BAD_PARAMETER');
  add('http: bad bodies', 'a NUL character in a new user name', { method: 'POST', url: '/api/v1/users', headers: { ...c.admin, ...json }, payload: JSON.stringify({ username: 'eve\u0000', role: 'viewer' }) }, [400], 'SW_API_BAD_PARAMETER');
  add('http: bad bodies', 'a NUL character in a credential id', { method: 'POST', url: '/api/v1/credentials', headers: { ...c.admin, ...json }, payload: JSON.stringify({ id: 'cam\u0000', kind: 'device' }) }, [400], 'SW_API_BAD_PARAMETER');
  add('http: bad bodies', 'a NUL character in a query parameter', { method: 'GET', url: '/api/v1/events/recent?type=%00', headers: c.admin }, [400], 'SW_API_BAD_PARAMETER');

  // Cookies (GET /api/v1/session needs a signed-in user).
  const cookie = (label: string, value: string, app: 'now' | 'later' = 'now'): void =>
    add('http: forged, expired and garbled cookies', label, { method: 'GET', url: '/api/v1/session', headers: { cookie: value } }, [401], 'SW_CONSOLE_UNAUTHENTICATED', app);
  cookie('a random session secret', 'sw_session=3q2-7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
  cookie('SQL injection as the session', `sw_session=${encodeURIComponent(`' OR 1=1 --`)}`);
  cookie('broken percent-encoding', 'sw_session=%zz%');
  cookie('a NUL character (encoded)', 'sw_session=abc%00def');
  cookie('an 8 KiB session', `sw_session=${'a'.repeat(8192)}`);
  cookie('unicode in the session', `sw_session=${encodeURIComponent('\u202e\ud83d\ude00')}`);
  cookie('a signed-out session', c.signedOutCookie);
  cookie('a session past its end (clock moved on)', c.expiringCookie, 'later');
  cookie('a session cookie with its last character changed', c.session.cookie.replace(/.$/, (ch) => (ch === 'A' ? 'B' : 'A')));

  // Bearer tokens.
  const bearer = (label: string, authorization: string): void =>
    add('http: forged and garbled bearer tokens', label, { method: 'GET', url: '/api/v1/devices', headers: { authorization } }, [401], 'SW_CONSOLE_UNAUTHENTICATED');
  bearer('the scheme alone', 'Bearer');
  bearer('two words', 'Bearer swt_abc def');
  bearer('Basic instead of Bearer', 'Basic YWRtaW46YWRtaW4=');
  bearer('SQL injection as the token', `Bearer swt_'OR'1'='1'--`);
  bearer('a 6 KiB token', `Bearer swt_${'x'.repeat(6000)}`);
  bearer('a revoked token', c.revoked.authorization);
  bearer('a valid token with one character changed', c.admin.authorization.replace(/.$/, (ch) => (ch === 'a' ? 'b' : 'a')));
  bearer('a valid token with a suffix', `${c.admin.authorization}x`);
  bearer('an empty header', '');

  // State changes with a session cookie but without its CSRF token.
  const noCsrf = (label: string, method: 'POST' | 'DELETE', url: string, headers: Record<string, string>, payload?: string): void =>
    add('http: CSRF (cookie session, no or wrong token)', label, { method, url, headers: { ...headers, ...(payload ? json : {}) }, ...(payload ? { payload } : {}) }, [403], 'SW_CONSOLE_CSRF');
  noCsrf('make a token, no x-csrf-token', 'POST', '/api/v1/session/tokens', { cookie: c.session.cookie }, '{"label":"csrf"}');
  noCsrf('make a token, a wrong x-csrf-token', 'POST', '/api/v1/session/tokens', { cookie: c.session.cookie, 'x-csrf-token': 'x'.repeat(43) }, '{"label":"csrf"}');
  noCsrf('make a token, another session\'s x-csrf-token', 'POST', '/api/v1/session/tokens', { cookie: c.session.cookie, 'x-csrf-token': c.otherSession['x-csrf-token'] }, '{"label":"csrf"}');
  noCsrf('sign out, no x-csrf-token', 'DELETE', '/api/v1/session', { cookie: c.session.cookie });
  noCsrf('change the password, no x-csrf-token', 'POST', '/api/v1/session/password', { cookie: c.session.cookie }, '{"currentPassword":"a","newPassword":"b"}');
  noCsrf('act on an incident, an empty x-csrf-token', 'POST', `/api/v1/incidents/${c.incident.id}/acknowledge`, { cookie: c.session.cookie, 'x-csrf-token': '' }, '{}');

  // A stale incident version.
  add('http: stale incident version', 'resolve with the version seen before another operator acted', {
    method: 'POST', url: `/api/v1/incidents/${c.incident.id}/resolve`, headers: { ...c.admin, ...json }, payload: JSON.stringify({ version: c.incident.staleVersion, outcome: 'handled' }),
  }, [409], 'SW_CONSOLE_VERSION_CONFLICT');
  return cases;
}
