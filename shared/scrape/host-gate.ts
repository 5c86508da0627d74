/**
 * Per-host politeness: one request at a time per host, each starting no sooner than the host's interval
 * after the previous one ended, and later still when the host asked us to wait (Retry-After, Crawl-delay).
 */
import { setTimeout as sleep } from "node:timers/promises";

export class HostGate {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly notBefore = new Map<string, number>();
  private readonly intervals = new Map<string, number>();

  constructor(private readonly minIntervalMs: number) {}

  /** Runs `task` when it is this host's turn and its interval has passed. */
  async run<T>(host: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(host) ?? Promise.resolve();
    let release = (): void => undefined;
    const turn = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => turn);
    this.tails.set(host, tail);
    await previous;
    try {
      const wait = (this.notBefore.get(host) ?? 0) - Date.now();
      if (wait > 0) await sleep(wait);
      return await task();
    } finally {
      this.deferUntil(host, Date.now() + (this.intervals.get(host) ?? this.minIntervalMs));
      release();
      if (this.tails.get(host) === tail) this.tails.delete(host);
    }
  }

  /** No request to `host` starts before `timeMs` (epoch milliseconds). */
  deferUntil(host: string, timeMs: number): void {
    this.notBefore.set(host, Math.max(this.notBefore.get(host) ?? 0, timeMs));
  }

  /** Widens the spacing for one host (never below the configured minimum). */
  setInterval(host: string, intervalMs: number): void {
    this.intervals.set(host, Math.max(this.minIntervalMs, intervalMs));
  }
}
