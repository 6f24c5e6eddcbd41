/** One progress line per stage: redrawn in place on a terminal, a plain line every few seconds otherwise. */
export class ProgressLine {
  private lastPrint = 0;
  private readonly tty: boolean;
  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly plainEveryMs = 5000,
  ) {
    this.tty = Boolean(stream.isTTY);
  }

  update(stage: string, done: number, total: number, detail = ''): void {
    const now = Date.now();
    const finished = done >= total;
    if (!this.tty && !finished && now - this.lastPrint < this.plainEveryMs) return;
    this.lastPrint = now;
    const width = 28;
    const share = total > 0 ? Math.min(1, done / total) : 0;
    const filled = Math.round(share * width);
    const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
    const line = `${stage.padEnd(18)} [${bar}] ${String(Math.round(share * 100)).padStart(3)}% ${done}/${total} ${detail}`.slice(0, 160);
    if (this.tty) this.stream.write(`\r\x1b[2K${line}${finished ? '\n' : ''}`);
    else this.stream.write(`${line}\n`);
  }

  note(message: string): void {
    this.stream.write(`${this.tty ? '\r\x1b[2K' : ''}${message}\n`);
  }
}
