export { build } from './app.js';
export type { ConsoleOptions } from './app.js';
export { listen } from './server.js';
export type { HealthChecks, ComponentHealth } from './plugins/health.js';
export { REALTIME_EVENTS } from './plugins/realtime.js';
export { TRANSITIONS, nextActions } from './routes/incidents.js';
export type { IncidentStatus, IncidentAction } from './routes/incidents.js';
export { SW_CONSOLE_NOT_FOUND, SW_CONSOLE_BAD_TRANSITION, CONSOLE_ERRORS } from './errors.js';
