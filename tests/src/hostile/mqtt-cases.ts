/**
 * The MQTT half of the hostile case table: each case is one publication and what ingest must do with it —
 * dead-letter it with a reason code, store it exactly as sent (SQL-injection text is data), or store a replay
 * once. Built for one run (a topic prefix and its devices), so cases never collide between runs.
 */
import { deviceTopic, isDeviceId, makeMessage, newMessageId } from '@streetwise/protocol';
import { HK, birth, event, type Publication } from '../ingest/messages.js';

export type MqttExpectation =
  | { dead: string }
  /** `select <sql> as v` must give `value`. */
  | { stored: { sql: string; params: unknown[]; value: unknown } }
  /** The case's payload, then each of `again` (also after the first is stored): exactly one row with this id. */
  | { replay: { table: 'events' | 'telemetry' | 'health'; id: string; again: Buffer[] } };

export interface MqttCase extends Publication {
  category: string;
  label: string;
  clientId: string;
  expect: MqttExpectation;
}

export interface MqttCaseOptions {
  prefix: string;
  /** A registered device (its client id is its device id). */
  device: string;
  /** Another registered device. */
  other: string;
  /** A device nobody registered. */
  unknown: string;
  /** A client id ingest trusts to publish for any device (a gateway). */
  gateway: string;
}

/** Strings that would change a statement built by concatenation, or break out of an array literal. */
export const SQL_INJECTIONS = [`' OR '1'='1' --`, `'; DROP TABLE events; --`, `x","y"},{"z`, `\\",NULL,"\\`, 'NULL', `$1);TRUNCATE devices;--`] as const;
/** Text tricks ingest refuses as bad_text. */
const BAD_TEXT = { 'bidi override': 'gate\u202eexe.txt', 'bidi isolate': 'a\u2067b\u2069', 'lone surrogate': 'cam\ud800', NUL: 'a\u0000b' } as const;
/** Unicode that is only text: stored as sent. */
const GOOD_UNICODE = { 'Arabic (right-to-left)': 'شارع الملكة', 'zero-width joiner emoji': '👩‍🚒', 'zero-width space': 'cam\u200b1', 'combining marks': 'Cafe\u0301', 'fullwidth letters': 'ｃａｍ' } as const;

export function mqttCases(o: MqttCaseOptions): MqttCase[] {
  const cases: MqttCase[] = [];
  const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));
  const topic = (deviceId: string, kind: 'status' | 'event' | 'telemetry' | 'health' | 'config'): string => deviceTopic(deviceId, kind, o.prefix);
  const add = (category: string, label: string, t: string, payload: Buffer, expect: MqttExpectation, clientId = o.device): void =>
    void cases.push({ category, label, topic: t, payload, clientId, expect });
  const telemetry = (over: Record<string, unknown> = {}) => ({ ...makeMessage('telemetry', { deviceId: o.device, intervalS: 60, counts: { car: 3 } }), ...over });
  const health = (over: Record<string, unknown> = {}) => ({ ...makeMessage('health', { deviceId: o.device, uptimeS: 5, outboxDepth: 0, models: { detector: 'v1' } }), ...over });
  let fresh = 0;
  const freshDevice = (): string => `${o.unknown.slice(0, 40)}-n${fresh++}`;

  // SQL injection in every free-text field of every kind: stored byte for byte, nothing else touched.
  const textFields: Array<[string, (text: string) => { t: string; payload: Buffer; sql: string; params: unknown[]; client: string }]> = [
    ...(['name', 'road', 'firmware'] as const).map((field) => [`status.${field}`, (text: string) => {
      const id = freshDevice();
      return { t: topic(id, 'status'), payload: json(birth(id, { [field]: text })), sql: `select ${field} as v from devices where id = $1`, params: [id], client: o.gateway };
    }] as [string, (text: string) => { t: string; payload: Buffer; sql: string; params: unknown[]; client: string }]),
    ['status.capabilities[]', (text) => {
      const id = freshDevice();
      return { t: topic(id, 'status'), payload: json(birth(id, { capabilities: ['detect', text] })), sql: 'select capabilities[2] as v from devices where id = $1', params: [id], client: o.gateway };
    }],
    ['status.models value', (text) => {
      const id = freshDevice();
      return { t: topic(id, 'status'), payload: json(birth(id, { models: { detector: text } })), sql: `select models->>'detector' as v from devices where id = $1`, params: [id], client: o.gateway };
    }],
    ...(['rule', 'direction', 'modelVersion'] as const).map((field) => [`event.${field}`, (text: string) => {
      const m = event(o.device, { [field]: text });
      const column = field === 'modelVersion' ? 'model_version' : field;
      return { t: topic(o.device, 'event'), payload: json(m), sql: `select ${column} as v from events where id = $1`, params: [m.id], client: o.device };
    }] as [string, (text: string) => { t: string; payload: Buffer; sql: string; params: unknown[]; client: string }]),
    ['event.attrs value', (text) => {
      const m = event(o.device, { attrs: { note: text } });
      return { t: topic(o.device, 'event'), payload: json(m), sql: `select attrs->>'note' as v from events where id = $1`, params: [m.id], client: o.device };
    }],
    ['telemetry.approach', (text) => {
      const m = telemetry({ approach: text });
      return { t: topic(o.device, 'telemetry'), payload: json(m), sql: 'select approach as v from telemetry where id = $1', params: [m.id], client: o.device };
    }],
    ['health.models value', (text) => {
      const m = health({ models: { detector: text } });
      return { t: topic(o.device, 'health'), payload: json(m), sql: `select models->>'detector' as v from health where id = $1`, params: [m.id], client: o.device };
    }],
  ];
  for (const [field, make] of textFields) {
    for (const text of SQL_INJECTIONS) {
      const c = make(text);
      add('mqtt: SQL injection in a text field (stored as sent)', `${field} = ${text}`, c.t, c.payload, { stored: { sql: c.sql, params: c.params, value: text } }, c.client);
    }
  }

  // SQL injection where the protocol allows no free text: refused by the schema or the topic parser.
  for (const text of SQL_INJECTIONS) {
    // "NULL" is a well-formed device id and attrs key: as a device id it names another device, as a key it is data.
    const idLike = isDeviceId(text);
    add('mqtt: SQL injection in an id, time or key', `event.deviceId = ${text}`, topic(o.device, 'event'), json({ ...event(o.device), deviceId: text }), { dead: idLike ? 'device_mismatch' : 'schema' });
    add('mqtt: SQL injection in an id, time or key', `event.id = ${text}`, topic(o.device, 'event'), json({ ...event(o.device), id: text }), { dead: 'schema' });
    add('mqtt: SQL injection in an id, time or key', `event.ts = ${text}`, topic(o.device, 'event'), json({ ...event(o.device), ts: text }), { dead: 'schema' });
    const keyed = event(o.device, { attrs: { [text]: 1 } });
    add('mqtt: SQL injection in an id, time or key', `event.attrs key = ${text}`, topic(o.device, 'event'), json(keyed),
      idLike ? { stored: { sql: 'select attrs->>$2 as v from events where id = $1', params: [keyed.id, text], value: '1' } } : { dead: 'schema' });
    add('mqtt: SQL injection in an id, time or key', `topic device level = ${text}`, `${o.prefix}/v1/${text.replace(/[+#/]/g, '_')}/event`, json(event(o.device)), { dead: idLike ? 'unauthorized_publisher' : 'bad_topic' });
  }

  // Unicode tricks: controls that disguise text, lone surrogates and NUL are refused; other unicode is text.
  for (const [trick, text] of Object.entries(BAD_TEXT)) {
    add('mqtt: unicode tricks (refused)', `${trick} in event.rule`, topic(o.device, 'event'), json(event(o.device, { rule: text })), { dead: 'bad_text' });
    add('mqtt: unicode tricks (refused)', `${trick} in event.attrs`, topic(o.device, 'event'), json(event(o.device, { attrs: { note: text } })), { dead: 'bad_text' });
    add('mqtt: unicode tricks (refused)', `${trick} in telemetry.approach`, topic(o.device, 'telemetry'), json(telemetry({ approach: text })), { dead: 'bad_text' });
    const id = freshDevice();
    add('mqtt: unicode tricks (refused)', `${trick} in status.name`, topic(id, 'status'), json(birth(id, { name: text })), { dead: 'bad_text' }, o.gateway);
  }
  for (const [what, text] of Object.entries(GOOD_UNICODE)) {
    const m = event(o.device, { rule: text });
    add('mqtt: unicode that is text (stored as sent)', `${what} in event.rule`, topic(o.device, 'event'), json(m), { stored: { sql: 'select rule as v from events where id = $1', params: [m.id], value: text } });
  }

  // Malformed, non-finite, oversize, prototype keys and deep nesting, on every uplink kind.
  const kinds = { event: () => event(o.device), telemetry: () => telemetry(), health: () => health(), status: () => birth(o.device) } as const;
  for (const [kind, make] of Object.entries(kinds)) {
    const t = topic(o.device, kind as 'event');
    const text = (): string => JSON.stringify(make());
    add('mqtt: malformed, non-finite, oversize, proto keys, nesting', `${kind}: truncated JSON`, t, Buffer.from(text().slice(0, -7)), { dead: 'bad_json' });
    add('mqtt: malformed, non-finite, oversize, proto keys, nesting', `${kind}: NaN as text`, t, Buffer.from(text().replace(/^\{/, '{"x":NaN,')), { dead: 'bad_json' });
    add('mqtt: malformed, non-finite, oversize, proto keys, nesting', `${kind}: Infinity as text`, t, Buffer.from(text().replace(/^\{/, '{"x":Infinity,')), { dead: 'bad_json' });
    add('mqtt: malformed, non-finite, oversize, proto keys, nesting', `${kind}: 1e999 in a number field`, t, Buffer.from(text().replace(/"v":1/, '"v":1e999')), { dead: 'schema' });
    add('mqtt: malformed, non-finite, oversize, proto keys, nesting', `${kind}: 70 KiB`, t, Buffer.from(text().replace(/^\{/, `{"pad":"${'x'.repeat(70 * 1024)}",`)), { dead: 'oversize' });
    add('mqtt: malformed, non-finite, oversize, proto keys, nesting', `${kind}: __proto__ two levels down`, t, Buffer.from(text().replace(/^\{/, '{"a":{"b":{"__proto__":{"isAdmin":true}}},')), { dead: 'forbidden_key' });
    add('mqtt: malformed, non-finite, oversize, proto keys, nesting', `${kind}: constructor.prototype in an array`, t, Buffer.from(text().replace(/^\{/, '{"a":[{"constructor":{"prototype":{"x":1}}}],')), { dead: 'forbidden_key' });
    add('mqtt: malformed, non-finite, oversize, proto keys, nesting', `${kind}: nesting 40 deep`, t, Buffer.from(text().replace(/^\{/, `{"a":${'['.repeat(40)}${']'.repeat(40)},`)), { dead: 'too_deep' });
  }

  // Topics.
  const badTopics: Array<[string, string]> = [
    ['an extra level', `${topic(o.device, 'event')}/extra`],
    ['an empty device level', `${o.prefix}/v1//event`],
    ['a kind in capitals', `${o.prefix}/v1/${o.device}/EVENT`],
    ['a 65-character device id', `${o.prefix}/v1/${'d'.repeat(65)}/event`],
    ['an unknown kind', `${o.prefix}/v1/${o.device}/selfie`],
    ['a bidi override in the device id', `${o.prefix}/v1/cam\u202e1/event`],
    ['fullwidth letters in the device id', `${o.prefix}/v1/ｃａｍ/event`],
    ['a device id with a space', `${o.prefix}/v1/cam 1/event`],
  ];
  for (const [label, t] of badTopics) add('mqtt: bad topics', label, t, json(event(o.device)), { dead: 'bad_topic' });

  // Cross-device spoofing: the publisher check (client id vs topic) and the payload check (deviceId vs topic).
  const spoofKinds = { event: (id: string) => event(id), telemetry: (id: string) => telemetry({ deviceId: id }), health: (id: string) => health({ deviceId: id }), status: (id: string) => birth(id) } as const;
  for (const [kind, make] of Object.entries(spoofKinds)) {
    add('mqtt: cross-device spoofing', `${kind}: device A publishes on B's topic`, topic(o.other, kind as 'event'), json(make(o.other)), { dead: 'unauthorized_publisher' });
    add('mqtt: cross-device spoofing', `${kind}: payload names B on A's topic`, topic(o.device, kind as 'event'), json(make(o.other)), { dead: 'device_mismatch' });
  }
  add('mqtt: cross-device spoofing', 'device A publishes for a device nobody registered', topic(o.unknown, 'event'), json(event(o.unknown)), { dead: 'unauthorized_publisher' });
  add('mqtt: cross-device spoofing', 'device A publishes a config (a downlink) for itself', topic(o.device, 'config'), json({ v: 1, id: newMessageId(), ts: new Date().toISOString(), configVersion: 7 }), { dead: 'downlink_on_uplink' });

  // Replays: the same message id again (and again after it is stored) is one row.
  const replayed = { events: event(o.device, { type: 'intrusion', severity: 'high', location: HK }), telemetry: telemetry(), health: health() } as const;
  for (const [table, message] of Object.entries(replayed)) {
    const kind = table === 'events' ? 'event' : (table as 'telemetry' | 'health');
    add('mqtt: replays', `${kind} sent 3 times`, topic(o.device, kind), json(message), { replay: { table: table as 'events', id: message.id, again: [json(message), json(message)] } });
  }
  const first = event(o.device, { rule: 'first' });
  add('mqtt: replays', 'event: same id, other content', topic(o.device, 'event'), json(first), { replay: { table: 'events', id: first.id, again: [json({ ...first, rule: 'second', severity: 'critical' })] } });
  return cases;
}
