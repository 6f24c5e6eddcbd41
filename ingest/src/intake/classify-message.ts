import { decodeConfig, decodeUplink, type DecodeOptions } from '@streetwise/protocol';
import { resolveMessageDistrict, type DistrictNote } from './district-intake.js';
import { checkPublisher, type PublisherPolicy } from './publisher-check.js';
import type { AcceptedMessage, IntakeItem, Received, RejectedItem } from '../types.js';

/**
 * Turn one received MQTT message into an accepted message or a dead letter. Pure: never throws,
 * never does I/O. The protocol's decodeUplink does size, topic, JSON, forbidden keys, schema,
 * device id and time window; this adds who may publish, and what PostgreSQL would refuse later
 * (NUL characters, impossible calendar dates, int4 overflow), so one bad row never fails a batch.
 * A status message's district becomes its official code here (district-intake.ts), before rows are built.
 */
export type Classified =
  /** districtNote: the device's district text and location disagree (or the text names no district); log and count it. */
  | { outcome: 'item'; item: IntakeItem; districtNote?: DistrictNote }
  /** A well-formed downlink config seen on a shared subscription (an external broker): not ours. */
  | { outcome: 'ignore'; reason: string };

export interface ClassifyOptions {
  decode: DecodeOptions;
  /** Set when the transport knows the publisher (embedded broker); null when it cannot. */
  publisherPolicy: PublisherPolicy | null;
  nowMs?: number;
}

const INT4_MAX = 2_147_483_647;

export function classifyMessage(received: Received, options: ClassifyOptions): Classified {
  const nowMs = options.nowMs ?? Date.now();
  const decoded = decodeUplink(received.topic, received.payload, options.decode, nowMs);
  // Items are written out field by field: an object spread of `received` costs ~3 µs a message (V8's
  // generic copy path), more than the rest of classifying it.
  const { topic, payload, clientId, receivedAtMs } = received;
  const reject = (reasonCode: RejectedItem['reasonCode'], reason: string, deviceId: string | null): Classified => ({
    outcome: 'item',
    item: { topic, payload, clientId, receivedAtMs, accepted: false, reasonCode, reason, deviceId },
  });

  if (!decoded.ok && (decoded.code === 'oversize' || decoded.code === 'bad_topic')) return reject(decoded.code, decoded.reason, null);
  const topicDeviceId = decoded.deviceId ?? null;
  const topicKind = decoded.kind;
  if (options.publisherPolicy !== null && topicDeviceId !== null && topicKind !== undefined) {
    const verdict = checkPublisher(received.clientId, topicDeviceId, topicKind, options.publisherPolicy);
    if (!verdict.ok) return reject(topicKind === 'config' ? 'downlink_on_uplink' : 'unauthorized_publisher', verdict.reason, topicDeviceId);
  }
  if (!decoded.ok) {
    if (decoded.code === 'downlink_on_uplink' && options.publisherPolicy === null) {
      const config = decodeConfig(received.payload, options.decode);
      if (config.ok) return { outcome: 'ignore', reason: 'downlink config' };
      return reject('downlink_on_uplink', `config topic carries an invalid config message (${config.reason})`, topicDeviceId);
    }
    return reject(decoded.code, decoded.reason, topicDeviceId);
  }

  const accepted = { kind: decoded.kind, deviceId: decoded.deviceId, message: decoded.message } as AcceptedMessage;
  // NUL and lone surrogates can only arrive escaped (\u…), bidi controls escaped or as UTF-8 bytes led by 0xE2:
  // skip the walk unless the payload holds one of those at all.
  const storable = checkStorable(accepted, received.payload.includes('\\u') || received.payload.includes(0xe2));
  if (storable !== undefined) return reject(storable.code, storable.reason, decoded.deviceId);
  if (accepted.kind === 'status') {
    const { message, note } = resolveMessageDistrict(accepted.message);
    const item: IntakeItem = { topic, payload, clientId, receivedAtMs, kind: 'status', deviceId: accepted.deviceId, message, accepted: true };
    return note === undefined ? { outcome: 'item', item } : { outcome: 'item', item, districtNote: note };
  }
  return { outcome: 'item', item: { topic, payload, clientId, receivedAtMs, kind: accepted.kind, deviceId: accepted.deviceId, message: accepted.message, accepted: true } as IntakeItem };
}

/** What PostgreSQL would refuse in an otherwise valid message, and text that is not honest. */
function checkStorable(accepted: AcceptedMessage, mayHoldBadText: boolean): { code: 'schema' | 'bad_text'; reason: string } | undefined {
  const { kind, message } = accepted;
  if (!isRealCalendarTime(message.ts)) return { code: 'schema', reason: `${kind}: /ts ${message.ts} is not a real calendar date and time` };
  if (kind === 'telemetry' && message.observedAt !== undefined && !isRealCalendarTime(message.observedAt)) {
    return { code: 'schema', reason: `${kind}: /observedAt ${message.observedAt} is not a real calendar date and time` };
  }
  const bad = mayHoldBadText ? findBadText(message, '') : undefined;
  if (bad !== undefined) return { code: 'bad_text', reason: `${kind}: text at ${bad.path || '/'} holds ${BAD_TEXT_NAMES[bad.what]}` };
  if ((kind === 'status' || kind === 'health') && message.configVersion !== undefined && message.configVersion > INT4_MAX) {
    return { code: 'schema', reason: `${kind}: /configVersion ${message.configVersion} is larger than ${INT4_MAX}` };
  }
  return undefined;
}

const TS_FIELDS = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:Z|[+-](\d{2}):(\d{2}))$/;
/** PostgreSQL refuses a zone displacement beyond ±15:59 (SQLSTATE 22009); Date.parse takes up to ±23:59. */
const MAX_OFFSET_HOURS = 15;

/** Date.parse accepts "2024-02-30" (it rolls over to March) and a "+20:00" zone; PostgreSQL does not. */
export function isRealCalendarTime(ts: string): boolean {
  const m = TS_FIELDS.exec(ts);
  if (m === null) return false;
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 59) return false;
  if (m[7] !== undefined && (Number(m[7]) > MAX_OFFSET_HOURS || Number(m[8]) > 59)) return false;
  // Every month has 28 days: only a later day needs the calendar (runs on every message).
  return day <= 28 || day <= new Date(Date.UTC(Number(m[1]), month, 0)).getUTCDate();
}

/**
 * NUL (the database cannot store it), a lone surrogate (jsonb refuses it; text would store U+FFFD instead of
 * what was sent) and bidirectional override/isolate controls (they make a name display as something else on
 * an operator's screen: "Trojan Source" text). Legitimate right-to-left text needs none of these controls.
 */
// eslint-disable-next-line no-control-regex -- NUL is one of the characters refused
const BAD_TEXT = /[\u0000\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
type BadText = 'nul' | 'surrogate' | 'bidi';
const BAD_TEXT_NAMES: Record<BadText, string> = {
  nul: 'a NUL character (\\u0000), which the database cannot store',
  surrogate: 'a lone UTF-16 surrogate (not a character), which the database cannot store as sent',
  bidi: 'a bidirectional override or isolate control (U+202A–U+202E, U+2066–U+2069), which can disguise text on screen',
};

function badTextIn(text: string): BadText | undefined {
  const found = BAD_TEXT.exec(text)?.[0];
  if (found === undefined) return undefined;
  return found === '\u0000' ? 'nul' : found.charCodeAt(0) >= 0xd800 && found.charCodeAt(0) <= 0xdfff ? 'surrogate' : 'bidi';
}

/** The first string (value or key) holding bad text, with its path, or undefined. */
function findBadText(value: unknown, path: string): { path: string; what: BadText } | undefined {
  if (typeof value === 'string') {
    const what = badTextIn(value);
    return what === undefined ? undefined : { path, what };
  }
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, child] of Object.entries(value)) {
    const inKey = badTextIn(key);
    if (inKey !== undefined) return { path: `${path}/${key}`, what: inKey };
    const found = findBadText(child, `${path}/${key}`);
    if (found !== undefined) return found;
  }
  return undefined;
}
