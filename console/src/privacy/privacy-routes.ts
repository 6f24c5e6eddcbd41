/**
 * Privacy under /api/v1 (PRIVACY.md): the audit of exports, GET /audit, and an account's personal data
 * (export, erase) for admins.
 */
import fp from 'fastify-plugin';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { ErrorBody } from '@streetwise/analytics';
import { routeSchema } from '../route-schema.js';
import type { AccountsOptions } from '../accounts/accounts-options.js';
import { signedIn } from '../accounts/accounts-plugin.js';
import { authenticate } from '../accounts/authenticate.js';
import { USERNAME_PATTERN } from '../accounts/roles.js';
import { AUDIT_ACTIONS, listAudit, recordAudit } from './audit-store.js';
import { erasePersonalData, exportPersonalData } from './personal-data.js';

/** An answer is an export when it is a file for another program: CSV or GeoJSON (analytics and open data). */
const EXPORT_TYPES = ['text/csv', 'application/geo+json'] as const;
const OPEN_DATA_PREFIX = '/api/v1/open-data/';

/** Who asked: the signed-in user, or on a public route (open data) whoever the credentials sent name. */
async function requester(request: FastifyRequest, options: AccountsOptions): Promise<string | undefined> {
  if (request.user) return request.user.username;
  const { authorization, cookie } = request.headers;
  if (authorization === undefined && cookie === undefined) return undefined;
  const found = await authenticate(request.server.db, { authorization, cookie }, options);
  return typeof found === 'object' ? found.username : undefined;
}

/**
 * Records every export by a known user before its body leaves (onSend): if the audit row cannot be written
 * the export fails, so no export goes unrecorded. An anonymous open-data download names nobody: not recorded.
 */
export const auditExports = fp<{ options: AccountsOptions }>(
  async (api, { options }) => {
    api.addHook('onSend', async (request, reply, payload) => {
      if (reply.statusCode >= 300 || request.method !== 'GET') return payload;
      const type = String(reply.getHeader('content-type') ?? '');
      const isExport = EXPORT_TYPES.some((t) => type.startsWith(t)) || request.url.startsWith(OPEN_DATA_PREFIX);
      if (!isExport) return payload;
      const username = await requester(request, options);
      if (username === undefined) return payload;
      await recordAudit(request.server.db, { username, action: 'export', what: request.url, details: { contentType: type.split(';')[0] } });
      return payload;
    });
  },
  { name: 'streetwise-audit-exports' },
);

const AuditQuery = Type.Object(
  {
    username: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'only this user\'s rows' })),
    action: Type.Optional(Type.Union(AUDIT_ACTIONS.map((a) => Type.Literal(a)), { description: 'only this action' })),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100, description: 'newest first, at most this many' }),
  },
  { additionalProperties: false },
);
const AuditView = Type.Object({
  at: Type.String({ format: 'date-time' }),
  username: Type.String(),
  action: Type.Union(AUDIT_ACTIONS.map((a) => Type.Literal(a))),
  what: Type.String(),
  details: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()]),
});
// A name that cannot be an account (USERNAME_PATTERN) is a 400 naming the parameter, not a lookup.
const UserParams = Type.Object({ username: Type.String({ pattern: USERNAME_PATTERN.source, description: 'lower-case letters, digits, ".", "_" or "-"' }) });
const Stamp = Type.String({ format: 'date-time' });
const MaybeStamp = Type.Union([Stamp, Type.Null()]);
const PersonalDataView = Type.Object({
  username: Type.String(),
  exportedAt: Stamp,
  user: Type.Object({}, { additionalProperties: true, description: 'the account (never its password hash)' }),
  sessions: Type.Array(Type.Object({ createdAt: Stamp, lastSeenAt: Stamp, expiresAt: Stamp })),
  tokens: Type.Array(Type.Object({ id: Type.String(), label: Type.String(), role: Type.String(), createdAt: Stamp, lastUsedAt: MaybeStamp, revokedAt: MaybeStamp })),
  loginFailures: Type.Union([Type.Object({ failures: Type.Integer(), lastFailedAt: Stamp, lockedUntil: MaybeStamp }), Type.Null()]),
  incidentLog: Type.Array(Type.Object({ incidentId: Type.String(), at: Stamp, action: Type.String(), note: Type.Union([Type.String(), Type.Null()]), details: Type.Unknown() })),
  audit: Type.Array(Type.Object({ at: Stamp, action: Type.String(), what: Type.String(), details: Type.Unknown() })),
  fleetPushes: Type.Array(Type.Object({ id: Type.String(), pushedAt: Stamp, target: Type.Unknown(), patch: Type.Unknown() })),
});
const ErasureView = Type.Object({
  username: Type.String(),
  pseudonym: Type.String({ description: 'what incident_log, audit_log and fleet_pushes now say instead of the name' }),
  deleted: Type.Object({ users: Type.Integer(), sessions: Type.Integer(), tokens: Type.Integer(), loginFailures: Type.Integer() }),
  pseudonymised: Type.Object({ incidentLog: Type.Integer(), audit: Type.Integer(), fleetPushes: Type.Integer() }),
});

export const privacyRoutes: FastifyPluginAsync<{ options: AccountsOptions }> = async (app, { options }) => {
  app.get<{ Querystring: Static<typeof AuditQuery> }>(
    '/audit',
    { schema: routeSchema({ tags: ['accounts'], operationId: 'listAudit', summary: 'The audit trail: exports, snapshot views, personal-data exports and erasures, newest first', querystring: AuditQuery, response: { 200: Type.Object({ items: Type.Array(AuditView) }), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody } }) },
    async (request) => ({ items: await listAudit(app.db, request.query) }),
  );

  app.get<{ Params: Static<typeof UserParams> }>(
    '/users/:username/personal-data',
    { schema: routeSchema({ tags: ['accounts'], operationId: 'exportPersonalData', summary: 'Everything stored about an account (its own request for access, DPP6); audited', params: UserParams, response: { 200: PersonalDataView, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody } }) },
    async (request) => exportPersonalData(app.db, request.params.username, signedIn(request).username, options.now()),
  );

  app.delete<{ Params: Static<typeof UserParams> }>(
    '/users/:username/personal-data',
    { schema: routeSchema({ tags: ['accounts'], operationId: 'erasePersonalData', summary: 'Delete an account, its sessions and tokens; its name in incident_log and audit_log becomes a stable pseudonym', params: UserParams, response: { 200: ErasureView, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody } }) },
    async (request) => {
      const erased = await erasePersonalData(app.db, request.params.username, signedIn(request).username, options.now());
      request.log.info({ by: signedIn(request).username, pseudonym: erased.pseudonym }, 'personal data erased');
      return erased;
    },
  );
};
