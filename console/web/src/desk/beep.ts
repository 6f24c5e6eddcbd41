/**
 * The alert sound, made with WebAudio (no audio file to ship or fetch): two short tones, 880 Hz then
 * 660 Hz, with soft edges so they do not click. A page may only start an AudioContext after a user
 * gesture, so `unlockAudio` is called from one (the "enable sound" button, or the first click or key).
 */

let context: AudioContext | null = null;

/** Creates (or resumes) the page's AudioContext; true when audio can play now. */
export async function unlockAudio(): Promise<boolean> {
  if (typeof AudioContext === 'undefined') return false;
  context ??= new AudioContext();
  if (context.state === 'suspended') await context.resume();
  return context.state === 'running';
}

export function playBeep(): void {
  if (context === null || context.state !== 'running') return;
  const start = context.currentTime;
  for (const [offsetS, frequencyHz] of [[0, 880], [0.22, 660]] as const) {
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.type = 'sine';
    oscillator.frequency.value = frequencyHz;
    const at = start + offsetS;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.3, at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.18);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(at);
    oscillator.stop(at + 0.2);
  }
}
