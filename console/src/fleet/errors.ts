import { createError, type ErrorFactory } from '@streetwise/errors';

/** The fleet view's refusals (console/src/fleet): pushing config downlinks. */
export const SW_CONSOLE_DOWNLINK_UNAVAILABLE = createError(
  'SW_CONSOLE_DOWNLINK_UNAVAILABLE',
  'the console cannot publish config downlinks: %s',
  503,
);
export const SW_CONSOLE_PUSH_NO_DEVICES = createError('SW_CONSOLE_PUSH_NO_DEVICES', 'the push reaches no device: %s', 400);

export const FLEET_ERRORS: readonly ErrorFactory[] = [SW_CONSOLE_DOWNLINK_UNAVAILABLE, SW_CONSOLE_PUSH_NO_DEVICES];
