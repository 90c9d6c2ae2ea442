/** The most lines `log.fetch` may ask for (docs/protocol.md), and so what the box keeps. */
export const LOG_CAPACITY = 5000;
// Keeps a 5000-line answer far below MAX_COMMAND_PARTS × COMMAND_CHUNK_BYTES (4 MiB).
const MAX_LINE_CHARS = 240;

export type LogLevel = 'error' | 'warn' | 'info';

/** The box's log in RAM: a ring of the newest lines, oldest overwritten first. */
export class LogRing {
  private readonly lines: string[] = [];
  private start = 0;

  constructor(private readonly capacity = LOG_CAPACITY) {}

  get size(): number {
    return this.lines.length;
  }

  /** Adds `2026-11-02T06:00:00.000Z info  mqtt: connected`. */
  write(now: number, level: LogLevel, source: string, text: string): void {
    const line = `${new Date(now).toISOString()} ${level.padEnd(5)} ${source}: ${text}`;
    const clipped = line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS - 1)}…` : line;
    if (this.lines.length < this.capacity) this.lines.push(clipped);
    else {
      this.lines[this.start] = clipped;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  /** The newest `n` lines, newest last. */
  tail(n: number): string[] {
    const ordered = [...this.lines.slice(this.start), ...this.lines.slice(0, this.start)];
    return n <= 0 ? [] : ordered.slice(-n);
  }
}
