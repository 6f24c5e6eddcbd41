import { createRandom } from '../random.js';

/** Rain comes in spells of whole three-hour blocks; a block is wet with this probability. */
export const RAIN_BLOCK_MS = 3 * 3_600_000;
export const RAIN_PROBABILITY = 0.15;

/** Rain intensity 0 (dry) … 1 (black rainstorm), deterministic per seed and three-hour block. */
export function rainIntensity(seed: number, timeMs: number): number {
  const block = Math.floor(timeMs / RAIN_BLOCK_MS);
  const random = createRandom(seed).fork(`rain:${block}`);
  return random.chance(RAIN_PROBABILITY) ? Math.round(random.range(0.2, 1) * 100) / 100 : 0;
}

/** How rain changes the road: lower free-flow speed and capacity, slightly fewer trips. */
export function rainEffect(intensity: number): { speedFactor: number; capacityFactor: number; demandFactor: number } {
  return { speedFactor: 1 - 0.2 * intensity, capacityFactor: 1 - 0.15 * intensity, demandFactor: 1 - 0.08 * intensity };
}
