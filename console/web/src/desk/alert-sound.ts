/**
 * The desk's alert sound, wired: one SoundScheduler for the page, fed by the store's incidents and the
 * desk settings, beeping through WebAudio, its state in signals for the controls. A mute survives a reload
 * (localStorage). The first click or key anywhere unlocks audio, as the "enable sound" button does.
 */
import { effect, signal } from '@preact/signals';
import { incidents } from '../live/store.js';
import { playBeep, unlockAudio } from './beep.js';
import { deskSettings } from './desk-state.js';
import { isAlerting, SoundScheduler, type MuteMinutes, type SoundStatus } from './sound-scheduler.js';

const MUTE_KEY = 'streetwise.desk.mutedUntil';

export const soundStatus = signal<SoundStatus>('locked');
export const mutedUntilMs = signal<number | null>(null);
/** Beeps played since the page loaded (shown as a data attribute, for the browser tests). */
export const beepCount = signal(0);

let scheduler: SoundScheduler | null = null;

function savedMute(): number | null {
  try {
    const value = Number(localStorage.getItem(MUTE_KEY));
    return Number.isFinite(value) && value > Date.now() ? value : null;
  } catch {
    return null;
  }
}

function saveMute(until: number | null): void {
  try {
    if (until === null) localStorage.removeItem(MUTE_KEY);
    else localStorage.setItem(MUTE_KEY, String(until));
  } catch {
    // Not remembered: the mute still holds for this page.
  }
}

/** Starts the scheduler (once per page); returns the function that stops it. */
export function startAlertSound(): () => void {
  const active = new SoundScheduler({
    clock: { now: () => Date.now(), setTimeout: (run, delayMs) => setTimeout(run, delayMs), clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>) },
    beep: () => {
      playBeep();
      beepCount.value++;
    },
    mutedUntilMs: savedMute(),
    onChange: (status, until) => {
      soundStatus.value = status;
      mutedUntilMs.value = until;
      saveMute(until);
    },
  });
  scheduler = active;
  const stopFeeding = effect(() => {
    active.setAlerting(isAlerting(incidents.value.values(), deskSettings.value.soundSeverities));
  });
  // `click`, not `pointerdown`: the controls change when sound unlocks, and a layout that moves between
  // press and release would lose the click the operator meant.
  const onGesture = (): void => void enableSound();
  window.addEventListener('click', onGesture, { once: true });
  window.addEventListener('keydown', onGesture, { once: true });
  return () => {
    stopFeeding();
    window.removeEventListener('click', onGesture);
    window.removeEventListener('keydown', onGesture);
    active.dispose();
    if (scheduler === active) scheduler = null;
  };
}

/** Called from a user gesture: audio may start now. */
export async function enableSound(): Promise<void> {
  if (await unlockAudio()) scheduler?.unlock();
}

export function muteSound(minutes: MuteMinutes): void {
  scheduler?.mute(minutes);
}

export function unmuteSound(): void {
  scheduler?.unmute();
}
