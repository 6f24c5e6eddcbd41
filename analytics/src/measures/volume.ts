/**
 * Traffic volume by class: objects counted in the bucket (Σ count_<class> of every reading). Motor
 * vehicles are cars, motorcycles, buses and trucks; bicycles and people are reported on their own.
 */
import { OBJECT_CLASSES, type ObjectClass } from '@streetwise/protocol';
import type { TelemetryField } from '../query/telemetry-fields.js';
import { countOf, type TelemetryMeasure } from './telemetry-measure.js';

export const MOTOR_VEHICLE_CLASSES: readonly ObjectClass[] = ['car', 'motorcycle', 'bus', 'truck'];

export interface VolumeOptions {
  /** Classes to report; all six when empty. */
  classes?: readonly ObjectClass[] | undefined;
}

export type Volume = Partial<Record<ObjectClass, number>> & { motorVehicles: number };

export function volumeClasses(options: VolumeOptions): readonly ObjectClass[] {
  return options.classes && options.classes.length > 0 ? OBJECT_CLASSES.filter((c) => options.classes?.includes(c)) : OBJECT_CLASSES;
}

export const volumeMeasure: TelemetryMeasure<VolumeOptions, Volume> = {
  name: 'volume',
  fields: (options) => volumeClasses(options).map((c) => `count_${c}` as TelemetryField),
  presentWhen: (options) => volumeClasses(options).map((c) => `count_${c}` as TelemetryField),
  derive(sums, options) {
    const byClass: Partial<Record<ObjectClass, number>> = {};
    let motorVehicles = 0;
    for (const c of volumeClasses(options)) {
      const n = countOf(sums[`count_${c}` as TelemetryField]);
      byClass[c] = n;
      if (MOTOR_VEHICLE_CLASSES.includes(c)) motorVehicles += n;
    }
    return { ...byClass, motorVehicles };
  },
};
