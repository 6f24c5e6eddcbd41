import type { DeviceConfig } from '../config/schema.js';
import { manifestBeside } from '../detect/manifest-names.js';
import type { OnnxDetectorOptions } from '../detect/onnx-detector.js';

type DetectorConfig = NonNullable<DeviceConfig['detector']>;

/**
 * The options every detector of this device loads with, whether at start-up or from a model update: the
 * config's thresholds, classes and settings, and the manifests its model is looked up in by sha256 (the one
 * next to the configured model; the shipped one is always searched). One place, so that an updated model gets
 * its settings from where the first one got them.
 */
export function detectorOptions(det: DetectorConfig): Omit<OnnxDetectorOptions, 'modelPath' | 'modelVersion'> {
  return {
    threads: det.threads,
    thresholds: det.thresholds,
    iouThreshold: det.iouThreshold,
    ...(det.classNames ? { classNames: det.classNames } : {}),
    ...(det.settings ? { settings: det.settings } : {}),
    manifests: det.model ? [manifestBeside(det.model)] : [],
  };
}
