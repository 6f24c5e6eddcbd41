import type { EventBody } from '../publish/publisher.js';
import type { RuleEvent } from '../rules/types.js';

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** A rule's event as a protocol event body (the publisher adds device id, location and id). */
export function toEventBody(e: RuleEvent, camera: string, modelVersion: string | undefined): EventBody {
  const body: EventBody = { ts: new Date(e.at).toISOString(), type: e.type, severity: e.severity, rule: e.rule.slice(0, 64), attrs: { camera, ...(e.attrs ?? {}) } };
  if (e.class) body.class = e.class;
  if (e.trackId !== undefined) body.trackId = clamp(Math.round(e.trackId), 0, 2 ** 31 - 1);
  if (e.confidence !== undefined) body.confidence = Math.round(clamp(e.confidence, 0, 1) * 1000) / 1000;
  if (e.direction) body.direction = e.direction.slice(0, 32);
  if (e.speedKmh !== undefined) body.speedKmh = Math.round(clamp(e.speedKmh, 0, 400) * 10) / 10;
  if (e.count !== undefined) body.count = clamp(Math.round(e.count), 0, 1_000_000);
  if (e.durationS !== undefined) body.durationS = Math.round(clamp(e.durationS, 0, 86_400) * 10) / 10;
  if (modelVersion) body.modelVersion = modelVersion.slice(0, 64);
  return body;
}
