/** What every analytics route needs: the database, the clock, the planner limits and the device list. */
import type { Queryable } from '@streetwise/db';
import type { DeviceDirectory } from '../query/device-directory.js';
import type { PlannerLimits } from '../query/planner.js';

export interface ApiContext {
  db: Queryable;
  now: () => Date;
  limits: PlannerLimits;
  devices: DeviceDirectory;
}
