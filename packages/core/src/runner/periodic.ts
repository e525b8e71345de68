/**
 * Runs a background task every `intervalMs`, never overlapping itself, with errors reported
 * rather than thrown. Timers are unref'd so they never keep a process alive on their own.
 */
export class Periodic {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private current: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly intervalMs: number,
    private readonly task: () => Promise<unknown>,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(runNow = false): void {
    this.stopped = false;
    if (runNow) this.tick();
    else this.arm();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.current;
  }

  private arm(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => this.tick(), this.intervalMs);
    this.timer.unref?.();
  }

  private tick(): void {
    this.current = this.task()
      .then(() => undefined, this.onError)
      .finally(() => {
        this.current = null;
        this.arm();
      });
  }
}
