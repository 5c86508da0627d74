import { describe, expect, it } from "vitest";
import { invocationRetryPolicy, stepRetries } from "../../../services/options.ts";

/** Total time an invocation keeps retrying under the policy before it is killed. */
function retriedFor(policy: ReturnType<typeof invocationRetryPolicy>): number {
  let total = 0;
  let delay = Number(policy.initialInterval);
  for (let attempt = 1; attempt < policy.maxAttempts!; attempt++) {
    total += delay;
    delay = Math.min(delay * policy.exponentiationFactor!, Number(policy.maxInterval));
  }
  return total;
}

describe("the retry policy", () => {
  it("rides out a database outage of several minutes by default, then kills (never pauses)", () => {
    const policy = invocationRetryPolicy({ RETRY_WINDOW_SECONDS: 900, RETRY_MAX_INTERVAL_SECONDS: 30 });
    expect(policy.onMaxAttempts).toBe("kill");
    expect(policy.maxInterval).toBe(30_000);
    expect(retriedFor(policy)).toBeGreaterThanOrEqual(900_000);
    expect(retriedFor(policy)).toBeLessThan(900_000 + 30_000);
  });

  it("scales down for a short window (tests) and keeps step retries inside it", () => {
    const config = { RETRY_WINDOW_SECONDS: 6, RETRY_MAX_INTERVAL_SECONDS: 1 };
    const policy = invocationRetryPolicy(config);
    expect(retriedFor(policy)).toBeGreaterThanOrEqual(6_000);
    expect(retriedFor(policy)).toBeLessThan(7_000);
    expect(stepRetries(config, 0.4)).toEqual({
      maxRetryDuration: 2_400,
      initialRetryInterval: 500,
      maxRetryInterval: 1_000,
    });
  });
});
