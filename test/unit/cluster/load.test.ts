import { describe, expect, it } from "vitest";
import { recoveryMs, windowFigures, type CallSample } from "../../../scripts/cluster/load.ts";

const call = (startedAt: number, endedAt: number, ok = true): CallSample => ({ startedAt, endedAt, ok });

describe("throughput windows", () => {
  it("counts the successful calls that ended inside the window, per second, with their latency", () => {
    const samples = [
      call(0, 100),
      call(100, 300),
      call(300, 1_200),
      call(1_200, 1_300, false),
      call(900, 2_500),
    ];
    const figures = windowFigures(samples, 0, 2_000);
    expect(figures).toMatchObject({ seconds: 2, ok: 3, failed: 1, callsPerSecond: 1.5 });
    expect(figures.p50Ms).toBe(200);
    expect(figures.p99Ms).toBe(900);
  });

  it("answers zero calls per second for a window where nothing ended", () => {
    expect(windowFigures([call(0, 5_000)], 1_000, 2_000)).toMatchObject({
      ok: 0,
      failed: 0,
      callsPerSecond: 0,
    });
  });
});

describe("recovery time", () => {
  it("is the end of the last failed or slow call after the disturbance", () => {
    const samples = [call(0, 50, false), call(1_000, 1_100, false), call(1_200, 3_500), call(4_000, 4_100)];
    expect(recoveryMs(samples, 1_000, 1_000)).toBe(2_500);
  });

  it("is zero when every call after the disturbance was quick and answered", () => {
    expect(recoveryMs([call(0, 500, false), call(1_000, 1_100)], 1_000, 1_000)).toBe(0);
  });
});
