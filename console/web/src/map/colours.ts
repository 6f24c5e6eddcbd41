/**
 * Marker colours. Chosen to read on both themes' map backgrounds and to differ for the common colour-vision
 * deficiencies in lightness as well as hue (online light green, degraded amber, offline dark red); the legend
 * spells each one out, so colour is never the only cue.
 */
import type { DeviceState, Severity } from '../api/types.js';

export const DEVICE_STATE_COLOURS: Record<DeviceState, string> = {
  online: '#3fb950',
  degraded: '#f0b429',
  offline: '#b62324',
};

export const SEVERITY_COLOURS: Record<Severity, string> = {
  info: '#58a6ff',
  low: '#39c5bb',
  medium: '#e3b341',
  high: '#f0883e',
  critical: '#ff3b3b',
};

/** Ranks used in cluster aggregates: the larger, the worse. */
export const STATE_RANK: Record<DeviceState, number> = { online: 0, degraded: 1, offline: 2 };
export const SEVERITY_RANK: Record<Severity, number> = { info: 1, low: 2, medium: 3, high: 4, critical: 5 };
