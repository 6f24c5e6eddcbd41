import { describe, expect, it } from 'vitest';
import { isAlerting, SoundScheduler, type SoundClock, type SoundStatus } from './sound-scheduler.js';

/** A clock that moves only when told, running the timers that fall due on the way. */
class HandClock implements SoundClock {
  private nowMs = 1_000_000;
  private timers = new Map<number, { at: number; run: () => void }>();
  private nextId = 1;
  now(): number {
    return this.nowMs;
  }
  setTimeout(run: () => void, delayMs: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.nowMs + delayMs, run });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  pending(): number {
    return this.timers.size;
  }
  advance(ms: number): void {
    const end = this.nowMs + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (due === undefined) break;
      this.timers.delete(due[0]);
      this.nowMs = due[1].at;
      due[1].run();
    }
    this.nowMs = end;
  }
}

function setUp(mutedUntilMs: number | null = null) {
  const clock = new HandClock();
  const beeps: number[] = [];
  const changes: SoundStatus[] = [];
  const scheduler = new SoundScheduler({ clock, repeatMs: 5000, beep: () => beeps.push(clock.now()), onChange: (status) => changes.push(status), mutedUntilMs });
  return { clock, beeps, changes, scheduler, start: clock.now() };
}

describe('the alert sound', () => {
  it('sounds for an open incident of a sounding severity only', () => {
    expect(isAlerting([{ status: 'open', severity: 'critical' }], ['critical'])).toBe(true);
    expect(isAlerting([{ status: 'acknowledged', severity: 'critical' }, { status: 'open', severity: 'high' }], ['critical'])).toBe(false);
    expect(isAlerting([{ status: 'open', severity: 'high' }], ['critical', 'high'])).toBe(true);
  });

  it('stays silent until a user gesture unlocks it, then repeats until nothing is alerting', () => {
    const { clock, beeps, changes, scheduler, start } = setUp();
    scheduler.setAlerting(true);
    clock.advance(20_000);
    expect(beeps).toEqual([]);
    expect(scheduler.status()).toBe('locked');
    scheduler.unlock();
    clock.advance(12_000);
    // at the unlock, then every 5 s
    expect(beeps.map((t) => t - start)).toEqual([20_000, 25_000, 30_000]);
    scheduler.setAlerting(false);
    clock.advance(60_000);
    expect(beeps).toHaveLength(3);
    expect(clock.pending()).toBe(0);
    expect(changes).toEqual(['locked', 'alerting', 'quiet']);
  });

  it('is muted for 15 minutes, then sounds again by itself', () => {
    const { clock, beeps, scheduler, start } = setUp();
    scheduler.unlock();
    scheduler.setAlerting(true);
    expect(beeps).toHaveLength(1);
    scheduler.mute(15);
    expect(scheduler.status()).toBe('muted');
    expect(scheduler.mutedUntil()).toBe(start + 15 * 60_000);
    clock.advance(15 * 60_000 - 1);
    expect(beeps).toHaveLength(1);
    clock.advance(1);
    expect(scheduler.status()).toBe('alerting');
    expect(beeps.map((t) => t - start)).toEqual([0, 15 * 60_000]);
    expect(scheduler.mutedUntil()).toBe(null);
  });

  it('keeps a mute from before a reload, and unmute sounds at once', () => {
    const { clock, beeps, scheduler, start } = setUp(1_000_000 + 30 * 60_000);
    scheduler.unlock();
    scheduler.setAlerting(true);
    clock.advance(60_000);
    expect(beeps).toEqual([]);
    scheduler.unmute();
    expect(beeps.map((t) => t - start)).toEqual([60_000]);
    scheduler.dispose();
    clock.advance(60_000);
    expect(beeps).toHaveLength(1);
  });

  it('beeps at once for a new alert after a quiet spell, not only on the old rhythm', () => {
    const { clock, beeps, scheduler, start } = setUp();
    scheduler.unlock();
    scheduler.setAlerting(true);
    clock.advance(1000);
    scheduler.setAlerting(false);
    clock.advance(1000);
    scheduler.setAlerting(true);
    expect(beeps.map((t) => t - start)).toEqual([0, 2000]);
  });
});
