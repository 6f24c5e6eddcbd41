export { build } from './app.js';
export type { ConsoleOptions } from './app.js';
export { listen } from './server.js';
export type { HealthChecks, ComponentHealth } from './plugins/health.js';
export { REALTIME_EVENTS } from './plugins/realtime.js';
export {
  SW_CONSOLE_NOT_FOUND,
  SW_CONSOLE_BAD_TRANSITION,
  SW_CONSOLE_VERSION_CONFLICT,
  SW_CONSOLE_UNIT_UNAVAILABLE,
  SW_CONSOLE_NOT_HIGHER,
  SW_CONSOLE_UNIT_EXISTS,
  SW_CONSOLE_UNIT_DISPATCHED,
  SW_CONSOLE_UNAUTHENTICATED,
  SW_CONSOLE_LOGIN_FAILED,
  SW_CONSOLE_FORBIDDEN,
  SW_CONSOLE_CSRF,
  SW_CONSOLE_PASSWORD_CHANGE_REQUIRED,
  SW_CONSOLE_LOCKED,
  SW_CONSOLE_LOGIN_RATE_LIMITED,
  SW_CONSOLE_WEAK_PASSWORD,
  SW_CONSOLE_USER_EXISTS,
  SW_CONSOLE_BAD_USERNAME,
  SW_CONSOLE_BAD_ROLE,
  SW_CONSOLE_ROUTE_UNLISTED,
  SW_CONSOLE_LAST_ADMIN,
  SW_CONSOLE_DATA_DIR_IN_USE,
  CONSOLE_ERRORS,
} from './errors.js';
// Exported also so that consumers' types see its fastify augmentation (app.accounts, request.user).
export { accountsPlugin } from './accounts/accounts-plugin.js';
export { ROLES, isRole } from './accounts/roles.js';
export type { Role } from './accounts/roles.js';
export { ROLE_MATRIX, ruleFor, allows } from './accounts/role-matrix.js';
export type { MatrixRule, Access } from './accounts/role-matrix.js';
export { DEFAULT_ACCOUNTS, SESSION_COOKIE } from './accounts/accounts-options.js';
export type { AccountsOptions } from './accounts/accounts-options.js';
export { DEFAULT_SCRYPT_COST } from './accounts/password-hash.js';
export type { ScryptCost } from './accounts/password-hash.js';
export { createUser, listUsers, setRole, setDisabled, resetPassword, findUser } from './accounts/user-store.js';
export type { User } from './accounts/user-store.js';
export { createToken, listTokens, revokeToken } from './accounts/token-store.js';
export type { ApiToken } from './accounts/token-store.js';
export { ACCOUNT_SETTINGS, accountsOptionsFrom } from './accounts/account-settings.js';
export { LIVE_SETTINGS } from './live/live-settings.js';
export type { AccountSettingValues } from './accounts/account-settings.js';
export { ensureFirstAdmin } from './accounts/bootstrap-admin.js';
// Exported also so that consumers' types see its fastify augmentation (app.desk).
export { deskPlugin } from './desk/desk-plugin.js';
export { DESK_SETTINGS, DEFAULT_ACK_THRESHOLDS, deskOptionsFrom, deskSettingProblems } from './desk/desk-settings.js';
export type { DeskOptions, DeskSettingValues, AckThreshold, AckThresholds } from './desk/desk-settings.js';
export { signWebhookBody, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './desk/escalation-webhook.js';
export type { EscalationPayload, EscalationScanner } from './desk/escalation-scanner.js';
export type { FirstAdminOptions, FirstAdminResult } from './accounts/bootstrap-admin.js';
// The fleet view: config pushes published as the console's downlink credential.
export { SW_CONSOLE_DOWNLINK_UNAVAILABLE, SW_CONSOLE_PUSH_NO_DEVICES } from './fleet/errors.js';
export { FLEET_SETTINGS, downlinkOptionsFrom } from './fleet/fleet-settings.js';
export type { DownlinkOptions, FleetSettingValues } from './fleet/fleet-settings.js';
