import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DECODE_OPTIONS, UPLINK_KINDS, decodeConfig, decodeUplink, deviceTopic, encodeConfig, parseJsonSafely, parseTopic, type ConfigMessage } from '@streetwise/protocol';
import { classifyMessage, type Classified } from '@streetwise/ingest';
import { DECODER_MUTATIONS, EXPECTED_CODES, TEXT_MUTATIONS, mutate, mutationArbitrary, type MutationName } from '../src/hostile/mutations.js';
import { DEVICE_IDS, FUZZ_NOW_MS, FUZZ_SEED, anyValidUplink, validConfig, validUplink } from '../src/hostile/valid-messages.js';

/**
 * Property-based fuzzing of the message validators: the protocol's decoders and topic parser, the config
 * downlink's encoder/decoder, and ingest's intake (classifyMessage). Seeded: a failure prints the seed and
 * the shrunk counterexample; FUZZ_SEED=<n> replays or explores.
 */
const runs = (numRuns: number): fc.Parameters<unknown> => ({ seed: FUZZ_SEED, numRuns, endOnFailure: true });
const policy = { trustedPublishers: ['gw-*'], downlinkPublishers: ['console'] };
const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');
const classify = (topic: string, payload: Buffer, clientId: string | null = null): Classified =>
  classifyMessage({ topic, payload, clientId, receivedAtMs: FUZZ_NOW_MS }, { decode: DEFAULT_DECODE_OPTIONS, publisherPolicy: policy, nowMs: FUZZ_NOW_MS });
const outcomeOf = (c: Classified): string => (c.outcome === 'ignore' ? 'ignored' : c.item.accepted ? 'accepted' : c.item.reasonCode);

/** Any text a network peer can send: JSON-ish fragments, unicode tricks, raw garbage. */
const hostileText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.json({ maxDepth: 12 }),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc.constantFrom('{"__proto__":{"a":1}}', '[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]', '{"v":1,"id":NaN}', '\ufeff{}', '{"a":"\\ud800"}', 'null', '{"constructor":{"prototype":{}}}'),
);
const hostileTopic = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 120 }),
  fc.tuple(fc.constantFrom('streetwise/v1/', 'streetwise/v2/', '/streetwise/v1/', 'streetwise/v1//', ''), fc.string({ unit: 'grapheme', maxLength: 70 }), fc.constantFrom('/event', '/status', '/config', '/selfie', '', '/event/x', '/+', '/#')).map((parts) => parts.join('')),
  DEVICE_IDS.map((id) => `streetwise/v1/${id}/event`),
);

describe('fuzzing the protocol decoders', () => {
  it('parseTopic and decodeUplink never throw on any topic and payload, and every refusal carries a reason', () => {
    fc.assert(fc.property(hostileTopic, hostileText, (topic, text) => {
      const parsed = parseTopic(topic);
      if (!parsed.ok) expect(parsed.reason.length).toBeGreaterThan(5);
      const decoded = decodeUplink(topic, bytes(text), {}, FUZZ_NOW_MS);
      if (!decoded.ok) expect(decoded.reason.length).toBeGreaterThan(5);
      // A topic the parser refuses is never decoded as a message.
      if (!parsed.ok) expect(decoded).toMatchObject({ ok: false, code: expect.stringMatching(/^(oversize|bad_topic)$/) as unknown });
    }), runs(1500));
  });

  it('parseJsonSafely never throws and refuses __proto__/constructor/prototype keys at any depth', () => {
    const poisoned = fc.tuple(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom('__proto__', 'constructor', 'prototype'), fc.nat({ max: 5 })).map(([value, key, depth]) => {
      let text = `{${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'}}`;
      for (let i = 0; i < depth; i++) text = i % 2 === 0 ? `[${text}]` : `{"k${i}":${text}}`;
      return text;
    });
    fc.assert(fc.property(poisoned, (text) => {
      expect(parseJsonSafely(text, 50)).toMatchObject({ ok: false, code: 'forbidden_key' });
    }), runs(400));
    fc.assert(fc.property(hostileText, fc.integer({ min: 0, max: 20 }), (text, depth) => {
      parseJsonSafely(text, depth);
    }), runs(500));
  });

  for (const kind of UPLINK_KINDS) {
    it(`accepts every valid ${kind} message generated from its schema`, () => {
      fc.assert(fc.property(validUplink(kind, DEVICE_IDS), (message) => {
        const topic = deviceTopic(message.deviceId as string, kind);
        const decoded = decodeUplink(topic, bytes(JSON.stringify(message)), {}, FUZZ_NOW_MS);
        expect(decoded.ok ? 'ok' : `${decoded.code}: ${decoded.reason}`).toBe('ok');
      }), runs(300));
    });
  }

  it('refuses every decoder mutation of a valid uplink (NaN, Infinity, wrong types, extra keys, oversize, proto keys, deep nesting) with its code', () => {
    fc.assert(fc.property(anyValidUplink(DEVICE_IDS), mutationArbitrary(DECODER_MUTATIONS), ({ kind, message }, { mutation, pick }) => {
      const mutant = mutate(message, mutation, pick);
      if (!mutant) return;
      const decoded = decodeUplink(deviceTopic(message.deviceId as string, kind), bytes(mutant.text), {}, FUZZ_NOW_MS);
      expect(decoded.ok ? 'accepted' : decoded.code, `${kind} ${mutation} at ${mutant.path}`).toBeOneOf([...EXPECTED_CODES[mutation]]);
    }), runs(1200));
  });

  it('encodeConfig and decodeConfig agree: every valid config round-trips, every mutation is refused by both', () => {
    fc.assert(fc.property(validConfig(), (config) => {
      const encoded = encodeConfig(config as ConfigMessage);
      expect(encoded.ok ? 'ok' : encoded.reason).toBe('ok');
      if (!encoded.ok) return;
      const decoded = decodeConfig(encoded.payload);
      // JSON has no -0: the config arrives as its JSON text says.
      expect(decoded.ok && decoded.message).toEqual(JSON.parse(JSON.stringify(config)));
    }), runs(300));
    fc.assert(fc.property(validConfig(), mutationArbitrary(DECODER_MUTATIONS), (config, { mutation, pick }) => {
      const mutant = mutate(config, mutation, pick);
      if (!mutant) return;
      const decoded = decodeConfig(bytes(mutant.text));
      expect(decoded.ok ? 'accepted' : decoded.code, `${mutation} at ${mutant.path}`).toBeOneOf([...EXPECTED_CODES[mutation]]);
      // The sender's check refuses what the device would (JSON-level damage cannot be expressed as an object).
      if (!['NaN as text', 'Infinity as text', 'oversize string', '__proto__ key', 'constructor key', 'prototype key', 'deep nesting'].includes(mutation)) {
        expect(encodeConfig(JSON.parse(mutant.text) as ConfigMessage).ok, `${mutation} at ${mutant.path}`).toBe(false);
      }
    }), runs(600));
    fc.assert(fc.property(hostileText, (text) => {
      decodeConfig(bytes(text));
    }), runs(500));
  });
});

describe('fuzzing ingest\'s intake (classifyMessage)', () => {
  it('never throws on any topic, payload and publisher', () => {
    fc.assert(fc.property(hostileTopic, hostileText, fc.option(fc.string({ maxLength: 30 })), (topic, text, clientId) => {
      const c = classify(topic, bytes(text), clientId);
      if (c.outcome === 'item' && !c.item.accepted) expect(c.item.reason.length).toBeGreaterThan(5);
    }), runs(1500));
  });

  it('accepts every valid uplink from its own device, refuses it from another client', () => {
    fc.assert(fc.property(anyValidUplink(DEVICE_IDS), ({ kind, message }) => {
      const deviceId = message.deviceId as string;
      const topic = deviceTopic(deviceId, kind);
      const payload = bytes(JSON.stringify(message));
      const own = classify(topic, payload, deviceId);
      expect(own.outcome === 'item' && !own.item.accepted ? `${own.item.reasonCode}: ${own.item.reason}` : outcomeOf(own)).toBe('accepted');
      expect(outcomeOf(classify(topic, payload, `x${deviceId}`.slice(0, 64)))).toBe('unauthorized_publisher');
      expect(outcomeOf(classify(topic, payload, 'gw-7'))).toBe('accepted');
    }), runs(600));
  });

  it('refuses every mutation, unicode tricks included (NUL, lone surrogates, bidi controls), with its code', () => {
    const all: MutationName[] = [...DECODER_MUTATIONS, ...TEXT_MUTATIONS];
    fc.assert(fc.property(anyValidUplink(DEVICE_IDS), mutationArbitrary(all), ({ kind, message }, { mutation, pick }) => {
      const mutant = mutate(message, mutation, pick);
      if (!mutant) return;
      const deviceId = message.deviceId as string;
      const outcome = outcomeOf(classify(deviceTopic(deviceId, kind), bytes(mutant.text), deviceId));
      expect(outcome, `${kind} ${mutation} at ${mutant.path}`).toBeOneOf([...EXPECTED_CODES[mutation]]);
    }), runs(1500));
  });
});
