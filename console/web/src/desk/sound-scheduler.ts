/**
 * When the alert sound plays: again and again while any unacknowledged incident of a sounding severity
 * (GET /desk/settings `soundSeverities`, critical by default) is open, unless muted for 15, 30 or 60
 * minutes. Browsers refuse audio until the page has had a user gesture, so nothing plays until the
 * operator has pressed "enable sound" (or anything else: the UI unlocks on the first click or key).
 *
 * The clock and the timers are passed in, so tests drive it with a hand-made clock and no sleeps.
 */
import type { DeskSeverity, DeskStatus } from './queue.js';

export const MUTE_MINUTES = [15, 30, 60] as const;
export type MuteMinutes = (typeof MUTE_MINUTES)[number];
/** Time between two beeps while something is alerting. */
export const DEFAULT_REPEAT_MS = 5000;

export type SoundStatus =
  /** Sound is blocked by the browser until a gesture: show "enable sound". */
  | 'locked'
  /** Muted until `mutedUntilMs`. */
  | 'muted'
  /** Nothing to sound for. */
  | 'quiet'
  /** Beeping every repeat interval. */
  | 'alerting';

export function isAlerting(
  incidents: Iterable<{ status: DeskStatus; severity: DeskSeverity }>,
  soundSeverities: readonly DeskSeverity[],
): boolean {
  for (const incident of incidents) if (incident.status === 'open' && soundSeverities.includes(incident.severity)) return true;
  return false;
}

export interface SoundClock {
  now(): number;
  setTimeout(run: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface SoundSchedulerOptions {
  beep(): void;
  clock: SoundClock;
  repeatMs?: number;
  /** Told on every change of status or mute, for the UI's signals. */
  onChange?(status: SoundStatus, mutedUntilMs: number | null): void;
  /** A mute that outlives a reload (from localStorage). */
  mutedUntilMs?: number | null;
}

export class SoundScheduler {
  private unlocked = false;
  private alerting = false;
  private mutedUntilMs: number | null;
  private lastBeepMs: number | null = null;
  private timer: unknown = null;
  private lastReported: string | null = null;
  private readonly repeatMs: number;

  constructor(private readonly options: SoundSchedulerOptions) {
    this.repeatMs = options.repeatMs ?? DEFAULT_REPEAT_MS;
    this.mutedUntilMs = options.mutedUntilMs ?? null;
    this.step();
  }

  status(): SoundStatus {
    if (!this.unlocked) return 'locked';
    if (this.mutedUntilMs !== null && this.options.clock.now() < this.mutedUntilMs) return 'muted';
    return this.alerting ? 'alerting' : 'quiet';
  }

  mutedUntil(): number | null {
    return this.mutedUntilMs;
  }

  /** After a user gesture: the browser now lets the page play audio. */
  unlock(): void {
    this.unlocked = true;
    this.step();
  }

  setAlerting(alerting: boolean): void {
    if (alerting === this.alerting) return;
    this.alerting = alerting;
    // A new alert after a quiet spell beeps at once, not a repeat interval after the last old beep.
    if (alerting) this.lastBeepMs = null;
    this.step();
  }

  mute(minutes: MuteMinutes): void {
    this.mutedUntilMs = this.options.clock.now() + minutes * 60_000;
    this.step();
  }

  unmute(): void {
    this.mutedUntilMs = null;
    this.lastBeepMs = null;
    this.step();
  }

  dispose(): void {
    this.clearTimer();
  }

  /** Beep if due, then sleep until the next thing that can change the answer (a beep or the mute's end). */
  private step(): void {
    this.clearTimer();
    const now = this.options.clock.now();
    if (this.mutedUntilMs !== null && now >= this.mutedUntilMs) {
      this.mutedUntilMs = null;
      this.lastBeepMs = null;
    }
    const status = this.status();
    this.report(status);
    if (status === 'alerting') {
      if (this.lastBeepMs === null || now - this.lastBeepMs >= this.repeatMs) {
        this.lastBeepMs = now;
        this.options.beep();
      }
      this.arm(this.lastBeepMs + this.repeatMs - now);
    } else if (status === 'muted' && this.mutedUntilMs !== null) {
      this.arm(this.mutedUntilMs - now);
    }
  }

  private arm(delayMs: number): void {
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = null;
      this.step();
    }, Math.max(0, delayMs));
  }

  private clearTimer(): void {
    if (this.timer !== null) this.options.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private report(status: SoundStatus): void {
    const key = `${status}:${this.mutedUntilMs}`;
    if (key === this.lastReported) return;
    this.lastReported = key;
    this.options.onChange?.(status, this.mutedUntilMs);
  }
}
