/**
 * The next file the TD publisher would write: every period_from/period_to moved on by `seconds`, so the
 * snapshot's second period becomes the next file's first (the feed repeats one period per file). Detector
 * figures stay as they were; tests only need the times.
 */
export function shiftTdSnapshot(text: string, seconds: number): string {
  return text.replace(/<(period_from|period_to)>(\d{2}):(\d{2}):(\d{2})</g, (_match, tag: string, h: string, m: string, s: string) => {
    const total = (Number(h) * 3600 + Number(m) * 60 + Number(s) + seconds) % 86_400;
    const pad = (n: number): string => String(n).padStart(2, '0');
    return `<${tag}>${pad(Math.floor(total / 3600))}:${pad(Math.floor(total / 60) % 60)}:${pad(total % 60)}<`;
  });
}
