import { randomBytes } from 'node:crypto';
import { deviceTopic, encodeMessage, makeMessage, newMessageId, type EventMessage, type StatusMessage } from '@streetwise/protocol';

/** Messages for ingest tests: valid ones from builders, and a catalogue of hostile ones. */
export const HK = { lat: 22.2819, lon: 114.1582 };

export function birth(deviceId: string, over: Partial<StatusMessage> = {}): StatusMessage {
  return makeMessage('status', { deviceId, state: 'online', kind: 'camera', name: `Camera ${deviceId}`, location: HK, district: 'Central and Western', road: 'Queen\'s Road Central', capabilities: ['detect', 'count'], models: { detector: 'yolov8n-1' }, firmware: '0.1.0', ...over });
}

export function event(deviceId: string, over: Partial<EventMessage> = {}, atMs = Date.now()): EventMessage {
  return makeMessage('event', { deviceId, type: 'detection', severity: 'info', class: 'person', location: HK, ...over }, atMs);
}

export interface Publication {
  topic: string;
  payload: Buffer;
}

export const publication = (prefix: string, deviceId: string, kind: 'status' | 'event' | 'telemetry' | 'health' | 'config', message: object | Buffer): Publication => ({
  topic: deviceTopic(deviceId, kind, prefix),
  payload: Buffer.isBuffer(message) ? message : encodeMessage(message),
});

export interface HostileInput extends Publication {
  label: string;
  /** The dead_letters.reason_code ingest must give it. */
  code: string;
  /** Publisher client id (matters on the embedded broker only). */
  clientId: string;
}

export interface HostileOptions {
  prefix: string;
  /** A registered device the inputs pretend to come from. */
  device: string;
  /** A second registered device (for spoofing). */
  other: string;
  /** A device id nobody registered. */
  unknown: string;
  /** Include inputs only the embedded broker can judge (publisher client id, topics outside +/+, valid config from a device). */
  knowsPublisher: boolean;
}

/** At least 50 bad inputs, each with the reason code ingest must dead-letter it with. */
export function hostileInputs(o: HostileOptions): HostileInput[] {
  const now = Date.now();
  const good = (): Record<string, unknown> => ({ ...event(o.device, { type: 'intrusion', severity: 'high' }) });
  const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));
  const text = (value: string): Buffer => Buffer.from(value, 'utf8');
  const evTopic = deviceTopic(o.device, 'event', o.prefix);
  const list: Array<[string, string, Buffer, string?, string?]> = [];
  const add = (label: string, code: string, payload: Buffer, topic = evTopic, clientId = o.device): void => void list.push([label, code, payload, topic, clientId]);
  const mut = (label: string, code: string, change: (m: Record<string, unknown>) => void): void => {
    const m = good();
    change(m);
    add(label, code, json(m));
  };
  const raw = (label: string, code: string, replace: (jsonText: string) => string): void => add(label, code, text(replace(JSON.stringify(good()))));

  add('truncated JSON', 'bad_json', text('{"v":1,"id":'));
  add('not JSON at all', 'bad_json', text('hello, ingest'));
  add('JSON with trailing garbage', 'bad_json', text(`${JSON.stringify(good())}xyz`));
  add('empty payload', 'bad_json', Buffer.alloc(0));
  add('binary garbage', 'bad_json', Buffer.concat([Buffer.from([0x00, 0xff, 0xfe, 0x80]), randomBytes(256)]));
  add('invalid UTF-8 (decoded lossily into an unknown key)', 'schema', Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d]));
  add('UTF-8 BOM before JSON', 'bad_json', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), json(good())]));
  raw('NaN as text', 'bad_json', (t) => t.replace('"severity":"high"', '"severity":"high","confidence":NaN'));
  raw('Infinity as text', 'bad_json', (t) => t.replace('"severity":"high"', '"severity":"high","speedKmh":Infinity'));
  raw('-Infinity as text', 'bad_json', (t) => t.replace('"severity":"high"', '"severity":"high","durationS":-Infinity'));
  raw('1e999 (parses to Infinity)', 'schema', (t) => t.replace('"severity":"high"', '"severity":"high","speedKmh":1e999'));
  add('JSON array', 'schema', json([good()]));
  add('JSON string', 'schema', json('event'));
  add('JSON null', 'schema', text('null'));
  add('JSON number', 'schema', text('42'));
  mut('v as string', 'schema', (m) => (m.v = '1'));
  mut('v = 2', 'schema', (m) => (m.v = 2));
  mut('id not a UUID', 'schema', (m) => (m.id = 'not-a-uuid'));
  mut('id a UUIDv4', 'schema', (m) => (m.id = '3b241101-e2bb-4255-8caf-4136c566a962'));
  mut('id missing', 'schema', (m) => delete m.id);
  mut('deviceId a number', 'schema', (m) => (m.deviceId = 7));
  mut('ts not a date', 'schema', (m) => (m.ts = 'yesterday'));
  mut('ts without a zone', 'schema', (m) => (m.ts = new Date(now).toISOString().slice(0, 19)));
  mut('ts an epoch number', 'schema', (m) => (m.ts = now));
  mut('unknown event type', 'schema', (m) => (m.type = 'explosion'));
  mut('unknown severity', 'schema', (m) => (m.severity = 'apocalyptic'));
  mut('location missing', 'schema', (m) => delete m.location);
  mut('latitude 91', 'schema', (m) => (m.location = { lat: 91, lon: 114 }));
  mut('longitude as text', 'schema', (m) => (m.location = { lat: 22, lon: '114' }));
  mut('confidence 1.5', 'schema', (m) => (m.confidence = 1.5));
  mut('speedKmh "NaN" as a string', 'schema', (m) => (m.speedKmh = 'NaN'));
  mut('negative count', 'schema', (m) => (m.count = -3));
  mut('trackId not an integer', 'schema', (m) => (m.trackId = 1.5));
  mut('unknown field', 'schema', (m) => (m.hack = true));
  mut('rule too long', 'schema', (m) => (m.rule = 'r'.repeat(65)));
  mut('33 attrs', 'schema', (m) => (m.attrs = Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, i]))));
  mut('attrs nested object', 'schema', (m) => (m.attrs = { nested: { a: 1 } }));
  mut('snapshot not base64', 'schema', (m) => (m.snapshot = '<<not base64>>'));
  mut('ts far in the future', 'ts_future', (m) => (m.ts = new Date(now + 86_400_000).toISOString()));
  mut('ts 40 days old', 'ts_too_old', (m) => (m.ts = new Date(now - 40 * 86_400_000).toISOString()));
  mut('NUL character in text', 'bad_text', (m) => (m.rule = 'line\u00001'));
  raw('__proto__ key at the top', 'forbidden_key', (t) => t.replace('{', '{"__proto__":{"isAdmin":true},'));
  raw('__proto__ key in attrs', 'forbidden_key', (t) => t.replace('"severity":"high"', '"severity":"high","attrs":{"__proto__":{"x":1}}'));
  raw('constructor key', 'forbidden_key', (t) => t.replace('{', '{"constructor":{"prototype":{}},'));
  raw('prototype key', 'forbidden_key', (t) => t.replace('{', '{"prototype":1,'));
  add('nesting 60 deep', 'too_deep', text(`${'{"a":'.repeat(60)}1${'}'.repeat(60)}`));
  add('oversize (70 KiB)', 'oversize', json({ ...good(), rule: 'x'.repeat(70 * 1024) }));
  add('spoofed device id: payload names another device', 'device_mismatch', json({ ...good(), deviceId: o.other }));
  add('event from a device nobody registered', 'unknown_device', json(event(o.unknown, { type: 'intrusion', severity: 'high' })), deviceTopic(o.unknown, 'event', o.prefix), o.unknown);
  add('unknown message kind in topic', 'bad_topic', json(good()), `${o.prefix}/v1/${o.device}/selfie`);
  add('invalid device id in topic', 'bad_topic', json(good()), `${o.prefix}/v1/bad.device!/event`);
  add('an event on a config topic', 'downlink_on_uplink', json(good()), deviceTopic(o.device, 'config', o.prefix));
  add('health without outboxDepth', 'schema', json({ ...makeMessage('health', { deviceId: o.device, uptimeS: 5, outboxDepth: 0 }), outboxDepth: undefined }), deviceTopic(o.device, 'health', o.prefix));
  add('health configVersion beyond int4', 'schema', json(makeMessage('health', { deviceId: o.device, uptimeS: 5, outboxDepth: 0, configVersion: 2 ** 40 })), deviceTopic(o.device, 'health', o.prefix));
  add('telemetry intervalS 0', 'schema', json(makeMessage('telemetry', { deviceId: o.device, intervalS: 0 })), deviceTopic(o.device, 'telemetry', o.prefix));
  add('telemetry negative count', 'schema', json(makeMessage('telemetry', { deviceId: o.device, intervalS: 60, counts: { car: -1 } })), deviceTopic(o.device, 'telemetry', o.prefix));
  add('birth without location', 'schema', json(makeMessage('status', { deviceId: o.device, state: 'online', kind: 'camera' })), deviceTopic(o.device, 'status', o.prefix));
  add('status state "maybe"', 'schema', json({ ...birth(o.device), state: 'maybe' }), deviceTopic(o.device, 'status', o.prefix));
  if (o.knowsPublisher) {
    add('another client publishes for the device', 'unauthorized_publisher', json(good()), evTopic, o.other);
    add('topic with an extra level', 'bad_topic', json(good()), `${evTopic}/extra`);
    add('a well-formed config published by a device', 'downlink_on_uplink', json({ v: 1, id: newMessageId(), ts: new Date().toISOString(), configVersion: 99 }), deviceTopic(o.device, 'config', o.prefix));
  }
  return list.map(([label, code, payload, topic, clientId]) => ({ label, code, payload, topic: topic!, clientId: clientId! }));
}
