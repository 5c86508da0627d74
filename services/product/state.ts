/** The product object's state: small typed pointers and summaries; history lives in Postgres. */
import type { InvocationId } from "@restatedev/restate-sdk";
import type { ModelAccuracy } from "../../shared/catalog/insights.ts";

/** Where the current forecast model is, and what it is. */
export interface ModelPointer {
  readonly path: string;
  readonly method: string;
  readonly frequency: "week";
  readonly demandClass: string;
  readonly trainedAt: string;
  readonly trainingStart: string;
  readonly trainingEnd: string;
  readonly salesRows: number;
  /** Coefficient of variation of the weekly demand it was trained on (for the XYZ class). */
  readonly demandCv: number | null;
  readonly accuracy: ModelAccuracy;
}

export interface RetrainState {
  /** A debounced retrain is pending (sent with a delay, not yet run). */
  readonly scheduled: boolean;
  /** The pending delayed `retrain`: a flag whose invocation is gone (killed) is re-armed. */
  readonly invocationId?: string | null;
  readonly requestedAt: string | null;
  readonly lastRunAt: string | null;
  readonly lastOutcome: "trained" | "no_sales" | "failed" | null;
  readonly lastError: string | null;
  /** Runs in a row whose training step gave up (e.g. the database was down). */
  readonly failures?: number;
  readonly runs: number;
}

export interface ScheduleState {
  readonly active: boolean;
  readonly intervalSeconds: number;
  /** Bumped on every (re)start: a delayed scrape of an older generation does nothing. */
  readonly generation: number;
  /** The one pending delayed `scheduledScrape` call, cancelled when the schedule is replaced. */
  readonly timerInvocationId: InvocationId | null;
  readonly nextRunAt: string | null;
}

export interface ScrapeSummary {
  readonly at: string;
  readonly sources: number;
  readonly succeeded: number;
  readonly failed: number;
}

export interface ProductState {
  /** How many times the profile was saved through this object. */
  readonly revision: number;
  readonly model: ModelPointer;
  readonly retrain: RetrainState;
  readonly schedule: ScheduleState;
  readonly lastScrape: ScrapeSummary;
}
