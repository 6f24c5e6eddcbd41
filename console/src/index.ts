export { build } from './app.js';
export type { ConsoleOptions } from './app.js';
export { listen } from './server.js';
export type { HealthChecks, ComponentHealth } from './plugins/health.js';
export { REALTIME_EVENTS } from './plugins/realtime.js';
export { SW_CONSOLE_NOT_FOUND, SW_CONSOLE_BAD_TRANSITION, SW_CONSOLE_VERSION_CONFLICT, CONSOLE_ERRORS } from './errors.js';
