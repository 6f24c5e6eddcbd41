/** /api/v1/users and /api/v1/tokens: accounts administration (admins only, per the role matrix). */
import type { FastifyPluginAsync } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { ErrorBody } from '@streetwise/analytics';
import { routeSchema } from '../route-schema.js';
import type { AccountsOptions } from './accounts-options.js';
import { signedIn } from './accounts-plugin.js';
import { TokenView } from './session-routes.js';
import { ROLES } from './roles.js';
import { listTokens, revokeToken } from './token-store.js';
import { createUser, listUsers, resetPassword, setDisabled, setRole } from './user-store.js';

const Role = Type.Union(ROLES.map((role) => Type.Literal(role)));
const UserView = Type.Object({
  username: Type.String(), role: Role, disabled: Type.Boolean(), mustChangePassword: Type.Boolean(),
  language: Type.Union([Type.String(), Type.Null()]), createdAt: Type.String(), updatedAt: Type.String(),
});
const NewUser = Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }), role: Role }, { additionalProperties: false });
const UserParams = Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }) });
const UserChange = Type.Object({ role: Type.Optional(Role), disabled: Type.Optional(Type.Boolean()) }, { additionalProperties: false, minProperties: 1 });
const WithPassword = Type.Intersect([UserView, Type.Object({ oneTimePassword: Type.String({ description: 'shown once; the user must change it at first sign-in' }) })]);
const TokenId = Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{16}$' }) });

export const userRoutes: FastifyPluginAsync<{ options: AccountsOptions }> = async (app, { options }) => {
  app.get('/users', { schema: routeSchema({ tags: ['accounts'], operationId: 'listUsers', summary: 'Every user', response: { 200: Type.Object({ items: Type.Array(UserView) }), 401: ErrorBody, 403: ErrorBody } }) }, async () => ({
    items: await listUsers(app.db),
  }));

  app.post<{ Body: Static<typeof NewUser> }>(
    '/users',
    { schema: routeSchema({ tags: ['accounts'], operationId: 'createUser', summary: 'Add a user with a one-time password', body: NewUser, response: { 201: WithPassword, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 409: ErrorBody } }) },
    async (request, reply) => {
      const { user, oneTimePassword } = await createUser(app.db, { ...request.body, cost: options.scryptCost, now: options.now() });
      request.log.info({ by: signedIn(request).username, username: user.username, role: user.role }, 'user added');
      return reply.code(201).send({ ...user, oneTimePassword: oneTimePassword! });
    },
  );

  app.patch<{ Params: Static<typeof UserParams>; Body: Static<typeof UserChange> }>(
    '/users/:username',
    { schema: routeSchema({ tags: ['accounts'], operationId: 'updateUser', summary: 'Change a user\'s role (retires their tokens) or disable / enable them', params: UserParams, body: UserChange, response: { 200: UserView, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody } }) },
    async (request) => {
      const { username } = request.params;
      const now = options.now();
      let user = request.body.role === undefined ? undefined : await setRole(app.db, username, request.body.role, now);
      if (request.body.disabled !== undefined) user = await setDisabled(app.db, username, request.body.disabled, now);
      request.log.info({ by: signedIn(request).username, username, change: request.body }, 'user changed');
      return user!;
    },
  );

  app.post<{ Params: Static<typeof UserParams> }>(
    '/users/:username/password',
    { schema: routeSchema({ tags: ['accounts'], operationId: 'resetUserPassword', summary: 'Reset a user\'s password to a new one-time password (ends their sessions, clears a lockout)', params: UserParams, response: { 200: WithPassword, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody } }) },
    async (request) => {
      const { user, oneTimePassword } = await resetPassword(app.db, request.params.username, { cost: options.scryptCost, now: options.now() });
      request.log.info({ by: signedIn(request).username, username: user.username }, 'password reset');
      return { ...user, oneTimePassword };
    },
  );

  app.get('/tokens', { schema: routeSchema({ tags: ['accounts'], operationId: 'listTokens', summary: 'Every personal API token (never their secrets)', response: { 200: Type.Object({ items: Type.Array(TokenView) }), 401: ErrorBody, 403: ErrorBody } }) }, async () => ({ items: await listTokens(app.db) }));

  app.delete<{ Params: Static<typeof TokenId> }>(
    '/tokens/:id',
    { schema: routeSchema({ tags: ['accounts'], operationId: 'revokeToken', summary: 'Revoke anyone\'s token', params: TokenId, response: { 204: Type.Null({ description: 'no content' }), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody } }) },
    async (request, reply) => {
      await revokeToken(app.db, request.params.id, options.now());
      request.log.info({ by: signedIn(request).username, tokenId: request.params.id }, 'token revoked');
      return reply.code(204).send();
    },
  );
};
