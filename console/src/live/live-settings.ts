/**
 * The live feed's settings, shared by every program that serves the console (`npm start`, the console's
 * own main): spread into the program's settings table.
 */
import { integer } from '@streetwise/settings';

export const LIVE_SETTINGS = {
  catchUpOverlapS: {
    env: 'CATCH_UP_OVERLAP_S', flag: '--catch-up-overlap-s', defaultValue: '5',
    description: 'seconds GET /api/v1/incidents/changes re-reads before a reconnecting browser\'s last change (transactions commit out of order)',
    parse: integer(0, 300),
  },
} as const;
