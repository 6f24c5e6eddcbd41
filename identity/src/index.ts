export { generateToken, hashToken, tokenMatches, mosquittoHash, TOKEN_BYTES } from './token.js';
export { parseScope, scopeAllows } from './scope.js';
export { checkConnect, checkPublish, checkSubscribe, clientIdAllowed, splitTopic } from './authorize.js';
export type { ConnectAttempt } from './authorize.js';
export {
  CREDENTIALS_CHANNEL,
  provisionCredential,
  rotateCredential,
  setCredentialStatus,
  listCredentials,
  loadCredential,
  loadCredentials,
  loadMosquittoUsers,
} from './registry.js';
export type { ProvisionOptions, Issued, CredentialListing } from './registry.js';
export { createCredentialCache } from './credential-cache.js';
export type { CredentialCache, CredentialCacheOptions } from './credential-cache.js';
export { installIdentityHooks } from './aedes-hooks.js';
export type { IdentityHookOptions } from './aedes-hooks.js';
export { authRefusedCounter, AUTH_REFUSED_METRIC } from './metrics.js';
export { buildMosquittoFiles } from './mosquitto-config.js';
export type { MosquittoFiles, MosquittoUser } from './mosquitto-config.js';
export { ensureServiceCredentials } from './service-secrets.js';
export type { ServiceCredential } from './service-secrets.js';
export { CREDENTIAL_KINDS, REFUSAL_REASONS } from './types.js';
export type { CredentialKind, CredentialRecord, CredentialStatus, RefusalReason, Verdict } from './types.js';
export {
  SW_IDENTITY_ID_INVALID,
  SW_IDENTITY_SCOPE_INVALID,
  SW_IDENTITY_EXISTS,
  SW_IDENTITY_UNKNOWN,
  SW_IDENTITY_BLOCKED,
  SW_IDENTITY_USAGE,
  IDENTITY_ERRORS,
} from './errors.js';
