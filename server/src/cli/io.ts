// The CLI's view of its process, injectable so tests run it in-process.
export interface OutStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
}

export interface CliIo {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: OutStream;
  readonly stderr: OutStream;
  /** Milliseconds, for timings (tests pin it). */
  now(): number;
}

export function processIo(): CliIo {
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    now: () => performance.now(),
  };
}

/** NO_COLOR (https://no-color.org): any non-empty value turns colour off. */
export function useColor(io: CliIo, stream: OutStream): boolean {
  return Boolean(stream.isTTY) && !io.env['NO_COLOR'] && io.env['TERM'] !== 'dumb';
}

/** A progress line on stderr, shown only on a terminal and only once a run has taken a second. */
export class Progress {
  private lastDraw = 0;
  private drawn = false;
  constructor(
    private readonly io: CliIo,
    private readonly start: number,
  ) {}

  update(label: string, done: number, total: number): void {
    if (!this.io.stderr.isTTY) return;
    const now = this.io.now();
    if (now - this.start < 1000 || now - this.lastDraw < 100) return;
    this.lastDraw = now;
    this.drawn = true;
    this.io.stderr.write(`\r\u001b[K${label} ${done}/${total} files`);
  }

  clear(): void {
    if (this.drawn) this.io.stderr.write('\r\u001b[K');
    this.drawn = false;
  }
}
