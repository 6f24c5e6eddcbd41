import { createError, type ErrorFactory } from '@streetwise/errors';

export const SW_MQTT_PORT_IN_USE = createError(
  'SW_MQTT_PORT_IN_USE',
  'MQTT port %s is already in use (is a Mosquitto running there?). Set MQTT_PORT=<another port> to run the embedded broker elsewhere, or MQTT_URL=mqtt://127.0.0.1:%s to use the broker already there.',
);
export const SW_HTTP_PORT_IN_USE = createError('SW_HTTP_PORT_IN_USE', 'console port %s is already in use. Set PORT=<another port> (or PORT=0 for any free port).');
export const SW_MQTT_TLS_FILES = createError('SW_MQTT_TLS_FILES', 'cannot read the MQTT TLS certificate "%s" or key "%s": %s. Set MQTT_TLS_CERT and MQTT_TLS_KEY to readable PEM files.');
export const SW_MQTT_TLS_REQUIRED = createError('SW_MQTT_TLS_REQUIRED', 'MQTT_PLAIN=off leaves no way in: set MQTT_TLS_CERT and MQTT_TLS_KEY to serve mqtts:// on MQTT_TLS_PORT.');
export const SW_HTTPS_FILES = createError('SW_HTTPS_FILES', 'cannot read the console\'s HTTPS certificate "%s" or key "%s": %s. Set HTTPS_CERT and HTTPS_KEY to readable PEM files.');

/** Every factory above, for the documentation test. */
export const STACK_ERRORS: readonly ErrorFactory[] = [
  SW_MQTT_PORT_IN_USE,
  SW_HTTP_PORT_IN_USE,
  SW_MQTT_TLS_FILES,
  SW_MQTT_TLS_REQUIRED,
  SW_HTTPS_FILES,
];
