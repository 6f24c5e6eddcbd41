import { describe, expect, it } from 'vitest';
import { createError, isErrorFactory, isStreetwiseError } from './create-error.js';

describe('createError', () => {
  it('fills %s in order and carries code, status, cause, parameter and allowed values', () => {
    const SW_TEST_THING = createError('SW_TEST_THING', 'thing %s is %s', 400);
    const cause = new Error('boom');
    const err = SW_TEST_THING(['x', 7], { cause, parameter: 'thing', allowed: ['a', 'b'] });
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ name: 'StreetwiseError', code: 'SW_TEST_THING', statusCode: 400, message: 'thing x is 7', cause, parameter: 'thing', allowed: ['a', 'b'] });
    expect([SW_TEST_THING.code, SW_TEST_THING.statusCode, SW_TEST_THING.template]).toEqual(['SW_TEST_THING', 400, 'thing %s is %s']);
  });

  it('leaves out what was not given, and fills missing arguments with nothing', () => {
    const err = createError('SW_TEST_PLAIN', 'a %s b %s')(['1']);
    expect(err.message).toBe('a 1 b ');
    expect(err).not.toHaveProperty('statusCode');
    expect(err).not.toHaveProperty('parameter');
    expect(err).not.toHaveProperty('cause');
  });

  it('keeps no registry: one code made twice is two independent factories', () => {
    const first = createError('SW_TEST_TWICE', 'first');
    const second = createError('SW_TEST_TWICE', 'second');
    expect(first().message).toBe('first');
    expect(second().message).toBe('second');
  });

  it('refuses a code that is not SW_<PACKAGE>_<WHAT>', () => {
    expect(() => createError('BAD', 'x')).toThrow(/SW_<PACKAGE>_<WHAT>/);
    expect(() => createError('SW_lower_case', 'x')).toThrow(TypeError);
  });

  it('tells errors and factories apart', () => {
    const factory = createError('SW_TEST_KIND', 'x');
    expect(isStreetwiseError(factory())).toBe(true);
    expect(isStreetwiseError(factory(), 'SW_TEST_KIND')).toBe(true);
    expect(isStreetwiseError(factory(), 'SW_TEST_OTHER')).toBe(false);
    expect(isStreetwiseError(new Error('plain'))).toBe(false);
    expect(isStreetwiseError({ code: 'SW_TEST_KIND', message: 'not an Error' })).toBe(false);
    expect(isErrorFactory(factory)).toBe(true);
    expect(isErrorFactory(factory())).toBe(false);
    expect(isErrorFactory(() => undefined)).toBe(false);
  });
});
