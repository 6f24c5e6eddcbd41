/**
 * Who may call which route: one table, read by the request hook (accounts-plugin.ts), the OpenAPI
 * document (each operation's `security`) and the role-matrix test. A route that is not in the table stops
 * the console from starting (SW_CONSOLE_ROUTE_UNLISTED), so nothing is reachable by accident.
 * console/README.md shows the same table in words.
 */
import type { Role } from './roles.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** 'public': no credentials needed. 'signed-in': any role. A list: those roles only. */
export type Access = 'public' | 'signed-in' | readonly Role[];

export interface MatrixRule {
  method: HttpMethod;
  /** fastify's route pattern (`/api/v1/incidents/:id`), or a prefix ending in `*` (`/api/v1/analytics/*`). */
  url: string;
  access: Access;
  /** Only with a session cookie, not a bearer token (a token must not make tokens or change a password). */
  sessionOnly?: boolean;
  /** Allowed while the user still has to change a one-time password. */
  duringPasswordChange?: boolean;
}

const EVERYONE: readonly Role[] = ['viewer', 'operator', 'planner', 'admin'];
const ACTORS: readonly Role[] = ['operator', 'admin'];
const PLANNERS: readonly Role[] = ['planner', 'admin'];
const ADMINS: readonly Role[] = ['admin'];

export const ROLE_MATRIX: readonly MatrixRule[] = [
  // Unauthenticated: the web app's files (its sign-in page must load), health, metrics, the API's
  // documentation, open data, signing in.
  { method: 'GET', url: '/', access: 'public' },
  { method: 'GET', url: '/assets/*', access: 'public' },
  { method: 'GET', url: '/data/*', access: 'public' },
  { method: 'GET', url: '/api/health', access: 'public' },
  { method: 'GET', url: '/metrics', access: 'public' },
  { method: 'GET', url: '/docs*', access: 'public' },
  { method: 'GET', url: '/api/v1/open-data/*', access: 'public' },
  { method: 'POST', url: '/api/v1/session', access: 'public' },
  // The session itself.
  { method: 'GET', url: '/api/v1/session', access: 'signed-in', duringPasswordChange: true },
  { method: 'DELETE', url: '/api/v1/session', access: 'signed-in', sessionOnly: true, duringPasswordChange: true },
  { method: 'POST', url: '/api/v1/session/password', access: 'signed-in', sessionOnly: true, duringPasswordChange: true },
  { method: 'GET', url: '/api/v1/session/tokens', access: 'signed-in', sessionOnly: true },
  { method: 'POST', url: '/api/v1/session/tokens', access: 'signed-in', sessionOnly: true },
  { method: 'DELETE', url: '/api/v1/session/tokens/:id', access: 'signed-in', sessionOnly: true },
  // Operational reading: every role.
  { method: 'GET', url: '/api/v1/devices', access: EVERYONE },
  { method: 'GET', url: '/api/v1/devices/geojson', access: EVERYONE },
  { method: 'PATCH', url: '/api/v1/devices/:id', access: ADMINS },
  { method: 'GET', url: '/api/v1/incidents/changes', access: EVERYONE },
  { method: 'GET', url: '/api/v1/incidents', access: EVERYONE },
  { method: 'GET', url: '/api/v1/incidents/:id', access: EVERYONE },
  { method: 'GET', url: '/api/v1/events/recent', access: EVERYONE },
  { method: 'GET', url: '/api/v1/dead-letters', access: EVERYONE },
  { method: 'GET', url: '/api/v1/units', access: EVERYONE },
  { method: 'GET', url: '/api/v1/desk/settings', access: 'signed-in' },
  // "Seen by" records whoever opened an incident, a viewer too: it changes nothing.
  { method: 'POST', url: '/api/v1/incidents/:id/view', access: EVERYONE },
  // Acting on incidents: operators (and admins).
  { method: 'POST', url: '/api/v1/incidents/:id/:action', access: ACTORS },
  // Planners' analytics.
  { method: 'GET', url: '/api/v1/analytics/*', access: PLANNERS },
  // Accounts administration.
  { method: 'GET', url: '/api/v1/users', access: ADMINS },
  { method: 'POST', url: '/api/v1/users', access: ADMINS },
  { method: 'PATCH', url: '/api/v1/users/:username', access: ADMINS },
  { method: 'POST', url: '/api/v1/users/:username/password', access: ADMINS },
  { method: 'GET', url: '/api/v1/tokens', access: ADMINS },
  { method: 'DELETE', url: '/api/v1/tokens/:id', access: ADMINS },
  // The response units' registry.
  { method: 'POST', url: '/api/v1/units', access: ADMINS },
  { method: 'PATCH', url: '/api/v1/units/:id', access: ADMINS },
  // The MQTT credential registry (identity): provision, rotate, revoke, block, unblock.
  { method: 'GET', url: '/api/v1/credentials', access: ADMINS },
  { method: 'POST', url: '/api/v1/credentials', access: ADMINS },
  { method: 'POST', url: '/api/v1/credentials/:id/rotate', access: ADMINS },
  { method: 'POST', url: '/api/v1/credentials/:id/revoke', access: ADMINS },
  { method: 'POST', url: '/api/v1/credentials/:id/block', access: ADMINS },
  { method: 'POST', url: '/api/v1/credentials/:id/unblock', access: ADMINS },
  // The fleet view: device health and config pushes published as the console's downlink credential.
  { method: 'GET', url: '/api/v1/fleet', access: ADMINS },
  { method: 'POST', url: '/api/v1/fleet/config', access: ADMINS },
  { method: 'GET', url: '/api/v1/fleet/pushes', access: ADMINS },
  { method: 'GET', url: '/api/v1/fleet/pushes/:id', access: ADMINS },
];

const matches = (rule: MatrixRule, url: string): boolean => (rule.url.endsWith('*') ? url.startsWith(rule.url.slice(0, -1)) : rule.url === url);

/** The rule for a route (HEAD is GET's); an exact pattern wins over a prefix. Undefined: not listed. */
export function ruleFor(method: string, url: string, matrix: readonly MatrixRule[] = ROLE_MATRIX): MatrixRule | undefined {
  const wanted = method === 'HEAD' ? 'GET' : method;
  const candidates = matrix.filter((rule) => rule.method === wanted && matches(rule, url));
  return candidates.find((rule) => !rule.url.endsWith('*')) ?? candidates.sort((a, b) => b.url.length - a.url.length)[0];
}

export function allows(rule: MatrixRule, role: Role): boolean {
  return rule.access === 'public' || rule.access === 'signed-in' || rule.access.includes(role);
}

/** The roles a rule lets in, for messages and the OpenAPI document. */
export const allowedRoles = (rule: MatrixRule): readonly Role[] => (rule.access === 'public' || rule.access === 'signed-in' ? EVERYONE : rule.access);
