/**
 * A steady stream of calls for measuring a cluster while it is disturbed: each call's start, end
 * and outcome is kept, so throughput and latency can be read for any time window (before, during
 * and after a kill) and recovery read as the time until calls stop failing or stalling.
 */

export interface CallSample {
  readonly startedAt: number;
  readonly endedAt: number;
  readonly ok: boolean;
}

export interface Load {
  readonly samples: readonly CallSample[];
  stop(): Promise<void>;
}

/** Runs `call` from `concurrency` workers back to back until stopped. */
export function startLoad(concurrency: number, call: (worker: number, n: number) => Promise<void>): Load {
  const samples: CallSample[] = [];
  let stopped = false;
  const worker = async (index: number) => {
    for (let n = 0; !stopped; n++) {
      const startedAt = performance.now();
      let ok = true;
      try {
        await call(index, n);
      } catch {
        ok = false;
        // A failing target answers at once; do not spin on it.
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      samples.push({ startedAt, endedAt: performance.now(), ok });
    }
  };
  const workers = Array.from({ length: concurrency }, (_, index) => worker(index));
  return {
    samples,
    async stop() {
      stopped = true;
      await Promise.all(workers);
    },
  };
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

export interface WindowFigures {
  readonly seconds: number;
  readonly ok: number;
  readonly failed: number;
  readonly callsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** Calls that ended within [from, to): successful calls per second and their latency. */
export function windowFigures(samples: readonly CallSample[], from: number, to: number): WindowFigures {
  const inside = samples.filter((sample) => sample.endedAt >= from && sample.endedAt < to);
  const latencies = inside
    .filter((sample) => sample.ok)
    .map((sample) => sample.endedAt - sample.startedAt)
    .sort((a, b) => a - b);
  const seconds = Math.max(to - from, 1) / 1000;
  return {
    seconds,
    ok: latencies.length,
    failed: inside.length - latencies.length,
    callsPerSecond: latencies.length / seconds,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
  };
}

/**
 * Milliseconds from `since` until the end of the last call that failed or took longer than
 * `slowMs` (0 when none did): after that point every call was served normally.
 */
export function recoveryMs(samples: readonly CallSample[], since: number, slowMs: number): number {
  const disturbed = samples.filter(
    (sample) => sample.endedAt >= since && (!sample.ok || sample.endedAt - sample.startedAt > slowMs),
  );
  return disturbed.length === 0 ? 0 : Math.max(...disturbed.map((sample) => sample.endedAt)) - since;
}

export function describeWindow(label: string, figures: WindowFigures): string {
  return `${label.padEnd(8)} ${figures.callsPerSecond.toFixed(1).padStart(7)} calls/s  ok ${figures.ok}  failed ${figures.failed}  p50 ${figures.p50Ms.toFixed(0)} ms  p99 ${figures.p99Ms.toFixed(0)} ms  (${figures.seconds.toFixed(1)} s)`;
}
