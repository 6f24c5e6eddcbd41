/**
 * /api/v1/credentials: the MQTT credential registry (identity's device_credentials) behind an admin login,
 * the same operations as `npm run devices`. They call the identity package's registry functions, which
 * NOTIFY sw_credentials in the same transaction: a broker's credential cache reloads the row, and the
 * embedded broker (npm start, same database) cuts a revoked or blocked credential's clients off at once.
 * A secret is in the answer to provision and rotate only; the registry keeps its hashes, which no route shows.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { ErrorBody } from '@streetwise/analytics';
import {
  CREDENTIAL_KINDS,
  listCredentials,
  loadCredential,
  parseScope,
  provisionCredential,
  rotateCredential,
  setCredentialStatus,
  SW_IDENTITY_SCOPE_INVALID,
  type CredentialKind,
  type CredentialListing,
  type Issued,
} from '@streetwise/identity';
import { signedIn } from '../accounts/accounts-plugin.js';
import { routeSchema } from '../route-schema.js';

const HOUR_MS = 3_600_000;
const DEFAULT_GRACE_HOURS = 24;

const Instant = Type.String({ format: 'date-time' });
const Kind = Type.Union(CREDENTIAL_KINDS.map((kind) => Type.Literal(kind)), { description: 'device (default), gateway (speaks for its scope), downlink (writes config topics), ingest (reads uplinks)' });
const ScopeEntry = Type.String({ minLength: 1, maxLength: 65, description: 'a device id, a device-id prefix ending in "*", or "*" alone' });

const CredentialView = Type.Object({
  id: Type.String({ description: 'MQTT username: the device id, gateway or service name' }),
  kind: Kind,
  scope: Type.Array(Type.String()),
  status: Type.Union([Type.Literal('active'), Type.Literal('revoked'), Type.Literal('blocked')]),
  createdAt: Instant,
  rotatedAt: Type.Union([Instant, Type.Null()]),
  graceEndsAt: Type.Union([Instant, Type.Null()], { description: 'after a rotation, the previous secret is accepted until then' }),
});
const IssuedView = Type.Object({
  id: Type.String(),
  kind: Kind,
  secret: Type.String({ description: 'shown this once: the registry keeps only its hashes. MQTT password of the credential' }),
  graceEndsAt: Type.Union([Instant, Type.Null()], { description: 'rotate: the previous secret is accepted until then (null: not at all)' }),
});
const NewCredential = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 200 }),
    kind: Type.Optional(Kind),
    scope: Type.Optional(Type.Array(ScopeEntry, { maxItems: 1000, description: 'a gateway\'s devices (required for a gateway); optional for downlink' })),
  },
  { additionalProperties: false },
);
const Rotation = Type.Object(
  { graceHours: Type.Optional(Type.Number({ minimum: 0, maximum: 720, description: `how long the previous secret stays valid, hours (default ${DEFAULT_GRACE_HOURS}; 0 = not at all)` })) },
  { additionalProperties: false },
);
const CredentialParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

const STATUS_ACTIONS = [
  { action: 'revoke', status: 'revoked', operationId: 'revokeCredential', summary: 'Revoke a credential: no secret of it works any more (rotate issues a new one); its connected clients are cut off' },
  { action: 'block', status: 'blocked', operationId: 'blockCredential', summary: 'Block a credential: refused even with a valid secret until unblocked, and ingest dead-letters the device\'s messages' },
  { action: 'unblock', status: 'active', operationId: 'unblockCredential', summary: 'Unblock a credential' },
] as const;

const view = (c: CredentialListing): Static<typeof CredentialView> => ({
  id: c.id,
  kind: c.kind,
  scope: c.scope,
  status: c.status,
  createdAt: c.createdAt.toISOString(),
  rotatedAt: c.rotatedAt?.toISOString() ?? null,
  graceEndsAt: c.previousValidUntil?.toISOString() ?? null,
});

/** The body's scope as identity's parser takes it: one entry at a time, so a comma cannot smuggle in two. */
function scopeOf(kind: CredentialKind, entries: readonly string[] | undefined): string[] {
  if (entries === undefined || entries.length === 0) {
    if (kind === 'gateway') throw SW_IDENTITY_SCOPE_INVALID(['', 'a gateway needs a scope: the device ids (or "prefix*") it may speak for']);
    return [];
  }
  return entries.map((entry) => {
    if (entry.includes(',')) throw SW_IDENTITY_SCOPE_INVALID([entry, 'one device id or prefix per entry']);
    return parseScope(entry)[0]!;
  });
}

/** Who did it, for the log line every action writes (never the secret). */
const by = (request: FastifyRequest) => signedIn(request).username;

export const credentialRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/credentials',
    { schema: routeSchema({ tags: ['credentials'], operationId: 'listCredentials', summary: 'Every MQTT credential: kind, scope, status, dates (never a secret or hash)', response: { 200: Type.Object({ items: Type.Array(CredentialView) }), 401: ErrorBody, 403: ErrorBody } }) },
    async () => ({ items: (await listCredentials(app.db)).map(view) }),
  );

  app.post<{ Body: Static<typeof NewCredential> }>(
    '/credentials',
    { schema: routeSchema({ tags: ['credentials'], operationId: 'createCredential', summary: 'Provision a credential; its secret is in this answer only', body: NewCredential, response: { 201: IssuedView, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 409: ErrorBody } }) },
    async (request, reply) => {
      const kind = request.body.kind ?? 'device';
      const scope = scopeOf(kind, request.body.scope);
      const issued: Issued = await provisionCredential(app.db, { id: request.body.id, kind, scope });
      request.log.info({ by: by(request), credential: issued.id, kind, scope }, 'credential provisioned');
      return reply.code(201).send({ id: issued.id, kind: issued.kind, secret: issued.token, graceEndsAt: null });
    },
  );

  app.post<{ Params: Static<typeof CredentialParams>; Body: Static<typeof Rotation> }>(
    '/credentials/:id/rotate',
    {
      // A POST without a body (the default grace) is validated as {}.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: routeSchema({ tags: ['credentials'], operationId: 'rotateCredential', summary: 'Issue a new secret (in this answer only); the previous one stays valid for the grace', params: CredentialParams, body: Rotation, response: { 200: IssuedView, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody } }),
    },
    async (request) => {
      const graceHours = request.body.graceHours ?? DEFAULT_GRACE_HOURS;
      const issued = await rotateCredential(app.db, request.params.id, Math.round(graceHours * HOUR_MS));
      const after = await loadCredential(app.db, issued.id);
      request.log.info({ by: by(request), credential: issued.id, graceHours }, 'credential rotated');
      return { id: issued.id, kind: issued.kind, secret: issued.token, graceEndsAt: after?.previousValidUntilMs == null ? null : new Date(after.previousValidUntilMs).toISOString() };
    },
  );

  for (const { action, status, operationId, summary } of STATUS_ACTIONS) {
    app.post<{ Params: Static<typeof CredentialParams> }>(
      `/credentials/:id/${action}`,
      { schema: routeSchema({ tags: ['credentials'], operationId, summary, params: CredentialParams, response: { 204: Type.Null({ description: 'no content' }), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody } }) },
      async (request, reply) => {
        await setCredentialStatus(app.db, request.params.id, status);
        request.log.info({ by: by(request), credential: request.params.id, status }, `credential ${action === 'unblock' ? 'unblocked' : status}`);
        return reply.code(204).send();
      },
    );
  }
};
