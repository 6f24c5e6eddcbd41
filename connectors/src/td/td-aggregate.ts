import type { TdDetectorAggregate, TdDetectorReading, TdLane } from './td-types.js';

/** A lane counts when the feed marked it valid and the connector found all its values usable. */
export function isLaneUsable(lane: TdLane): boolean {
  return lane.validInFeed && lane.rejected === undefined;
}

/**
 * One detector's lanes in one period → the figures the connector publishes.
 * - volume: sum over valid lanes (vehicles in the period);
 * - speed: volume-weighted mean over valid lanes, Σ(speed·volume)/Σvolume, so a lane that counted no vehicle
 *   (the feed then writes a default speed such as 70) weighs nothing; undefined when no valid lane counted one;
 * - occupancy: plain mean over valid lanes, because occupancy is a share of time per loop and every lane of
 *   the section counts equally towards how full the road is; undefined when no lane is valid.
 */
export function aggregateDetector(reading: TdDetectorReading): TdDetectorAggregate {
  let volume = 0;
  let speedTimesVolume = 0;
  let occupancySum = 0;
  let lanesValid = 0;
  for (const lane of reading.lanes) {
    if (!isLaneUsable(lane)) continue;
    lanesValid++;
    const laneVolume = lane.volume ?? 0;
    volume += laneVolume;
    speedTimesVolume += (lane.speedKmh ?? 0) * laneVolume;
    occupancySum += lane.occupancyPct ?? 0;
  }
  return {
    siteId: reading.detectorId,
    direction: reading.direction,
    volume,
    speedKmh: volume > 0 ? speedTimesVolume / volume : undefined,
    occupancyPct: lanesValid > 0 ? occupancySum / lanesValid : undefined,
    lanesValid,
    lanesInvalid: reading.lanes.length - lanesValid,
  };
}
