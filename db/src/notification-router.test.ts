import { describe, expect, it } from 'vitest';
import { NotificationRouter, parseListenCommand } from './notification-router.js';

describe('notification router', () => {
  it('recognises lone LISTEN / UNLISTEN commands, quoted or not', () => {
    expect(parseListenCommand('LISTEN sw_events')).toEqual({ listen: true, channel: 'sw_events' });
    expect(parseListenCommand('  listen SW_Events ; ')).toEqual({ listen: true, channel: 'sw_events' });
    expect(parseListenCommand('LISTEN "Mixed ""Case"""')).toEqual({ listen: true, channel: 'Mixed "Case"' });
    expect(parseListenCommand('UNLISTEN *')).toEqual({ listen: false, channel: '*' });
    expect(parseListenCommand('LISTEN *')).toBeNull();
    expect(parseListenCommand('LISTEN a; LISTEN b')).toBeNull();
    expect(parseListenCommand("SELECT 'LISTEN x'")).toBeNull();
  });

  it('delivers to the targets of a channel only, until they unlisten', () => {
    const router = new NotificationRouter();
    const got: string[] = [];
    const a = { notify: (c: string, p: string) => got.push(`a:${c}:${p}`) };
    const b = { notify: (c: string, p: string) => got.push(`b:${c}:${p}`) };
    router.add(a, 'x');
    router.add(b, 'x');
    router.add(b, 'y');
    router.deliver('x', '1');
    router.deliver('y', '2');
    router.deliver('z', '3');
    router.remove(b, '*');
    router.deliver('x', '4');
    router.deliver('y', '5');
    expect(got).toEqual(['a:x:1', 'b:x:1', 'b:y:2', 'a:x:4']);
    expect(router.channelsOf(a)).toEqual(['x']);
    expect(router.channelsOf(b)).toEqual([]);
  });
});
