import { describe, expect, it } from 'vitest';
import { DEFAULT_DECODE_OPTIONS, deviceTopic, encodeMessage, makeMessage, type StatusMessage } from '@streetwise/protocol';
import { classifyMessage } from './classify-message.js';
import { resolveMessageDistrict } from './district-intake.js';

const NOW = Date.parse('2025-03-01T08:00:00Z');
const CENTRAL = { lat: 22.2819, lon: 114.1577 }; // Des Voeux Rd C / Pedder St: inside polygon A
const SHA_TIN = { lat: 22.383, lon: 114.188 }; // inside polygon R
const SHENZHEN = { lat: 22.5431, lon: 114.0579 }; // outside every polygon
const { district: _d, location: _l, ...base } = makeMessage('status', { deviceId: 'cam-1', state: 'online', kind: 'camera', location: CENTRAL, district: 'x' }, NOW);
/** One birth (same id and time) with or without district and location. */
const birth = (over: Partial<StatusMessage>): StatusMessage => ({ ...base, ...over });

describe('resolveMessageDistrict', () => {
  it('stores the code for a name, an alias, Chinese or a code, with no note when the location agrees', () => {
    for (const sent of ['Central and Western', 'Central & Western', 'central/western', '中西區', 'a', 'A']) {
      expect(resolveMessageDistrict(birth({ district: sent, location: CENTRAL })), sent).toEqual({ message: birth({ district: 'A', location: CENTRAL }) });
    }
  });

  it('takes the district from the location when the birth says none', () => {
    expect(resolveMessageDistrict(birth({ location: SHA_TIN }))).toEqual({ message: birth({ district: 'R', location: SHA_TIN }) });
  });

  it('an unknown name: stored from the location, with an unknown_name note', () => {
    expect(resolveMessageDistrict(birth({ district: 'Gotham', location: SHA_TIN }))).toEqual({
      message: birth({ district: 'R', location: SHA_TIN }),
      note: { reason: 'unknown_name', deviceId: 'cam-1', sent: 'Gotham', stored: 'R', located: 'R' },
    });
  });

  it('an unknown name with no usable location: no district (NULL), never a refusal', () => {
    expect(resolveMessageDistrict(birth({ district: 'Gotham' }))).toEqual({
      message: birth({}),
      note: { reason: 'unknown_name', deviceId: 'cam-1', sent: 'Gotham', stored: null, located: null },
    });
    expect(resolveMessageDistrict(birth({ district: 'Gotham', location: SHENZHEN })).message).toEqual(birth({ location: SHENZHEN }));
  });

  it('a name that says one district and a location in another: the named one, with a location_differs note', () => {
    expect(resolveMessageDistrict(birth({ district: 'Sha Tin', location: CENTRAL }))).toEqual({
      message: birth({ district: 'R', location: CENTRAL }),
      note: { reason: 'location_differs', deviceId: 'cam-1', sent: 'Sha Tin', stored: 'R', located: 'A' },
    });
  });

  it('a location outside every polygon with a good name: the name, no note', () => {
    expect(resolveMessageDistrict(birth({ district: 'Sha Tin', location: SHENZHEN }))).toEqual({ message: birth({ district: 'R', location: SHENZHEN }) });
  });

  it('a last will with neither district nor location is left as it is', () => {
    const will = birth({ state: 'offline' });
    expect(resolveMessageDistrict(will).message).toBe(will);
  });
});

describe('classifyMessage normalises the district of a status message', () => {
  const rx = (message: StatusMessage) => ({ topic: deviceTopic('cam-1', 'status'), payload: encodeMessage(message), clientId: null, receivedAtMs: NOW });
  it('accepts it with the code and passes the note on', () => {
    const c = classifyMessage(rx(birth({ district: 'Central and Western', location: CENTRAL })), { decode: DEFAULT_DECODE_OPTIONS, publisherPolicy: null, nowMs: NOW });
    expect(c.outcome === 'item' && c.item.accepted && c.item.kind === 'status' && c.item.message.district).toBe('A');
    expect(c.outcome === 'item' && c.districtNote).toBeUndefined();
    const odd = classifyMessage(rx(birth({ district: 'Atlantis', location: CENTRAL })), { decode: DEFAULT_DECODE_OPTIONS, publisherPolicy: null, nowMs: NOW });
    expect(odd.outcome === 'item' && odd.item.accepted && odd.item.kind === 'status' && odd.item.message.district).toBe('A');
    expect(odd.outcome === 'item' && odd.districtNote).toMatchObject({ reason: 'unknown_name', sent: 'Atlantis', stored: 'A' });
  });
});
