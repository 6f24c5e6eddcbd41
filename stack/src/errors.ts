import { createError, type ErrorFactory } from '@streetwise/errors';

export const SW_MQTT_PORT_IN_USE = createError(
  'SW_MQTT_PORT_IN_USE',
  'MQTT port %s is already in use (is a Mosquitto running there?). Set MQTT_PORT=<another port> to run the embedded broker elsewhere, or MQTT_URL=mqtt://127.0.0.1:%s to use the broker already there.',
);
export const SW_HTTP_PORT_IN_USE = createError('SW_HTTP_PORT_IN_USE', 'console port %s is already in use. Set PORT=<another port> (or PORT=0 for any free port).');

/** Every factory above, for the documentation test. */
export const STACK_ERRORS: readonly ErrorFactory[] = [
  SW_MQTT_PORT_IN_USE,
  SW_HTTP_PORT_IN_USE,
];
