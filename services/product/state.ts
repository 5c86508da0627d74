/** The product object's state: small typed pointers and summaries; history lives in Postgres. */
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
  readonly accuracy: ModelAccuracy;
}

export interface RetrainState {
  /** A debounced retrain is pending (sent with a delay, not yet run). */
  readonly scheduled: boolean;
  readonly requestedAt: string | null;
  readonly lastRunAt: string | null;
  readonly lastOutcome: "trained" | "no_sales" | "failed" | null;
  readonly lastError: string | null;
  readonly runs: number;
}

export interface ProductState {
  /** How many times the profile was saved through this object. */
  readonly revision: number;
  readonly model: ModelPointer;
  readonly retrain: RetrainState;
}
