import { createError, type ErrorFactory } from '@streetwise/errors';

/** Error catalogue of @streetwise/simulators; every code is documented in docs/errors.md. */
export const SW_SIM_DATA_MISSING = createError('SW_SIM_DATA_MISSING', 'city data file %s could not be read: %s');
export const SW_SIM_DATA_INVALID = createError('SW_SIM_DATA_INVALID', 'city data file %s is malformed: %s');
export const SW_SIM_FLAG_INVALID = createError('SW_SIM_FLAG_INVALID', '%s | %s | %s');
export const SW_SIM_OPTIONS_INVALID = createError('SW_SIM_OPTIONS_INVALID', 'fleet option %s | %s | %s');
export const SW_SIM_CONNECT_FAILED = createError('SW_SIM_CONNECT_FAILED', 'simulated device %s could not connect to %s within %s ms');
export const SW_SIM_DEVICE_UNKNOWN = createError('SW_SIM_DEVICE_UNKNOWN', 'no simulated device with id %s in this fleet');
export const SW_SIM_RENDER_FAILED = createError('SW_SIM_RENDER_FAILED', 'scene %s could not be rendered: %s');
export const SW_SIM_FAULTS_DISABLED = createError('SW_SIM_FAULTS_DISABLED', 'cannot drop the connection of %s: the fleet was started without faults enabled (faults: true / --faults)');
export const SW_SIM_FLAGS_INVALID = createError('SW_SIM_FLAGS_INVALID', 'invalid flags (flag | value | expected):\n%s');

/** Every factory above, for the documentation test. */
export const SIMULATOR_ERRORS: readonly ErrorFactory[] = [
  SW_SIM_DATA_MISSING,
  SW_SIM_DATA_INVALID,
  SW_SIM_FLAG_INVALID,
  SW_SIM_OPTIONS_INVALID,
  SW_SIM_CONNECT_FAILED,
  SW_SIM_DEVICE_UNKNOWN,
  SW_SIM_RENDER_FAILED,
  SW_SIM_FAULTS_DISABLED,
  SW_SIM_FLAGS_INVALID,
];
