export { startStack, FLEET_GATEWAY, CONSOLE_DOWNLINK, TD_GATEWAY, TD_GATEWAY_SCOPE } from './stack.js';
export type { RunningStack } from './stack.js';
export { startEmbeddedBroker } from './broker.js';
export type { EmbeddedBroker, EmbeddedBrokerOptions, EmbeddedBrokerTls } from './broker.js';
export { STACK_SETTINGS, STACK_HELP } from './settings.js';
export type { StackSettings } from './settings.js';
export { SW_MQTT_PORT_IN_USE, SW_HTTP_PORT_IN_USE, SW_MQTT_TLS_FILES, SW_MQTT_TLS_REQUIRED, SW_HTTPS_FILES, STACK_ERRORS } from './errors.js';
