import { describe, expect, it } from 'vitest';
import { SessionLock } from './session-lock.js';

describe('session lock', () => {
  it('serves owners in order and lets the holder re-enter', async () => {
    const lock = new SessionLock();
    const order: string[] = [];
    await lock.acquire('tx:1');
    await lock.acquire('tx:1'); // re-entrant for the holder
    const second = lock.acquire('wire:1').then(() => order.push('wire:1'));
    const third = lock.run('q:1', async () => {
      order.push('q:1');
    });
    expect(lock.waiting).toBe(2);
    order.push('tx:1');
    lock.release('tx:1');
    await second;
    expect(lock.holder).toBe('wire:1');
    lock.release('someone-else'); // ignored
    expect(lock.holder).toBe('wire:1');
    lock.release('wire:1');
    await third;
    expect(order).toEqual(['tx:1', 'wire:1', 'q:1']);
    expect(lock.holder).toBeNull();
  });

  it('drops a waiter that gave up', async () => {
    const lock = new SessionLock();
    await lock.acquire('a');
    void lock.acquire('b');
    lock.cancel('b');
    lock.release('a');
    expect(lock.holder).toBeNull();
  });
});
