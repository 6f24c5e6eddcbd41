import { SW_PROTOCOL_DEVICE_ID_INVALID, SW_PROTOCOL_TOPIC_INVALID } from './errors.js';

/** Topic scheme: `<prefix>/v1/<deviceId>/<kind>`. Topic strings are built only here. */
export const DEFAULT_TOPIC_PREFIX = 'streetwise';
export const PROTOCOL_VERSION = 'v1';

/** Uplink kinds (device → cloud) and the one downlink kind (cloud → device). */
export const UPLINK_KINDS = ['status', 'event', 'telemetry', 'health'] as const;
export const DOWNLINK_KINDS = ['config'] as const;
export type UplinkKind = (typeof UPLINK_KINDS)[number];
export type DownlinkKind = (typeof DOWNLINK_KINDS)[number];
export type MessageKind = UplinkKind | DownlinkKind;

export const DEVICE_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$';
const deviceIdRe = new RegExp(DEVICE_ID_PATTERN);
const prefixRe = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/;

export function isDeviceId(value: string): boolean {
  return deviceIdRe.test(value);
}

export function assertPrefix(prefix: string): void {
  if (!prefixRe.test(prefix)) {
    throw SW_PROTOCOL_TOPIC_INVALID([prefix, 'the prefix may hold only letters, digits, "-", "_" and "/" between levels']);
  }
}

export function deviceTopic(deviceId: string, kind: MessageKind, prefix = DEFAULT_TOPIC_PREFIX): string {
  if (!isDeviceId(deviceId)) throw SW_PROTOCOL_DEVICE_ID_INVALID([deviceId]);
  return `${prefix}/${PROTOCOL_VERSION}/${deviceId}/${kind}`;
}

/** Filter matching every uplink message of every device. */
export function uplinkFilter(prefix = DEFAULT_TOPIC_PREFIX): string {
  return `${prefix}/${PROTOCOL_VERSION}/+/+`;
}

/** MQTT v5 shared-subscription filter: the broker spreads the messages over the group's members. */
export function sharedUplinkFilter(group: string, prefix = DEFAULT_TOPIC_PREFIX): string {
  return `$share/${group}/${uplinkFilter(prefix)}`;
}

export type ParsedTopic =
  | { ok: true; deviceId: string; kind: MessageKind }
  | { ok: false; reason: string };

/** Parse a topic without throwing: a bad topic from the network is data, not an exception. */
export function parseTopic(topic: string, prefix = DEFAULT_TOPIC_PREFIX): ParsedTopic {
  const head = `${prefix}/${PROTOCOL_VERSION}/`;
  if (!topic.startsWith(head)) return { ok: false, reason: `topic does not start with "${head}"` };
  const rest = topic.slice(head.length).split('/');
  if (rest.length !== 2) return { ok: false, reason: 'topic must be <prefix>/v1/<deviceId>/<kind>' };
  const [deviceId, kind] = rest as [string, string];
  if (!isDeviceId(deviceId)) return { ok: false, reason: `device id "${deviceId.slice(0, 80)}" is invalid` };
  if (!(UPLINK_KINDS as readonly string[]).includes(kind) && !(DOWNLINK_KINDS as readonly string[]).includes(kind)) {
    return { ok: false, reason: `unknown message kind "${kind.slice(0, 40)}"` };
  }
  return { ok: true, deviceId, kind: kind as MessageKind };
}
