import { describe, expect, it } from 'vitest';
import { waitFor } from './wait-for.js';

describe('waitFor', () => {
  it('resolves with the first value that is neither undefined nor false', async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls === 3 ? 'ready' : undefined), { intervalMs: 1 });
    expect(value).toBe('ready');
    expect(calls).toBe(3);
  });

  it('takes boolean and async probes, and keeps 0, null and empty strings as values', async () => {
    let n = 0;
    await expect(waitFor(() => ++n > 2, { intervalMs: 1 })).resolves.toBe(true);
    await expect(waitFor(() => Promise.resolve(0))).resolves.toBe(0);
    await expect(waitFor(() => null)).resolves.toBeNull();
    await expect(waitFor(() => '')).resolves.toBe('');
  });

  it('probes again after a throw and resolves once the probe succeeds', async () => {
    let calls = 0;
    const value = await waitFor(() => {
      if (++calls < 3) throw new Error('not listening yet');
      return calls;
    }, { intervalMs: 1 });
    expect(value).toBe(3);
  });

  it('says what it waited for and the last value seen when it times out', async () => {
    let n = 0;
    await expect(waitFor(() => (++n, false), { timeoutMs: 30, intervalMs: 5, what: 'three rows' })).rejects.toThrow(
      'timed out after 30 ms waiting for three rows (last value: false)',
    );
    await expect(waitFor(() => undefined, { timeoutMs: 20, what: () => `rows ${n}` })).rejects.toThrow(/waiting for rows \d+ \(last value: undefined\)/);
  });

  it('reports the last error when the probe kept throwing', async () => {
    await expect(waitFor(() => Promise.reject(new Error('ECONNREFUSED')), { timeoutMs: 20, what: 'the server' })).rejects.toThrow(
      'timed out after 20 ms waiting for the server (last error: ECONNREFUSED)',
    );
  });
});
