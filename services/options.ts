/** Shared Restate service options: error mapping, bounded retries, Schema-validated inputs. */
import * as restate from "@restatedev/restate-sdk";
import { JSONSchema, Schema } from "effect";
import { identifierRule } from "../shared/ids/index.ts";
import type { Config } from "../shared/config/index.ts";
import { InvalidRequestError, asTerminalError } from "./errors.ts";

/** Expected failures become terminal errors in one place (services/errors.ts). */
export const serviceOptions = { asTerminalError } as const satisfies restate.ServiceOptions;

const firstRetryMs = 200;

/**
 * Every invocation retries unexpected failures with exponential backoff for about
 * RETRY_WINDOW_SECONDS (long enough to ride out a database restart or a few minutes of outage)
 * and is then killed, never left paused (a paused invocation would lock its product). Whatever a
 * kill leaves behind is repaired by the next request or the reconciler (services/reconciler.ts).
 */
export function invocationRetryPolicy(
  config: Pick<Config, "RETRY_WINDOW_SECONDS" | "RETRY_MAX_INTERVAL_SECONDS">,
): restate.RetryPolicy {
  const windowMs = config.RETRY_WINDOW_SECONDS * 1000;
  const maxIntervalMs = config.RETRY_MAX_INTERVAL_SECONDS * 1000;
  let attempts = 1;
  for (let waited = 0, delay = firstRetryMs; waited < windowMs; delay = Math.min(delay * 2, maxIntervalMs)) {
    waited += delay;
    attempts++;
  }
  return {
    initialInterval: firstRetryMs,
    exponentiationFactor: 2,
    maxInterval: maxIntervalMs,
    maxAttempts: attempts,
    onMaxAttempts: "kill",
  };
}

/**
 * Retries of one `ctx.run` step that must give up (as a TerminalError the handler catches and
 * records) before the invocation's own retries run out: `share` of the retry window.
 */
export function stepRetries(
  config: Pick<Config, "RETRY_WINDOW_SECONDS" | "RETRY_MAX_INTERVAL_SECONDS">,
  share: number,
): { maxRetryDuration: number; initialRetryInterval: number; maxRetryInterval: number } {
  return {
    maxRetryDuration: Math.round(config.RETRY_WINDOW_SECONDS * 1000 * share),
    initialRetryInterval: 500,
    maxRetryInterval: config.RETRY_MAX_INTERVAL_SECONDS * 1000,
  };
}

/**
 * An input serde that decodes JSON with an Effect Schema (a mismatch is a 400 naming the field) and
 * publishes the Schema as JSON Schema, so Restate's generated OpenAPI shows the request body.
 */
export function schemaInput<A, I>(schema: Schema.Schema<A, I, never>): restate.Serde<A> {
  const validating: restate.Serde<A> = restate.serde.schema(Schema.standardSchemaV1(schema));
  return {
    contentType: validating.contentType ?? "application/json",
    jsonSchema: JSONSchema.make(schema),
    serialize: (value) => validating.serialize(value),
    deserialize: (data) => validating.deserialize(data),
  };
}

/** An output serde (plain JSON) that publishes the response's Schema as JSON Schema in the OpenAPI. */
export function schemaOutput<A, I>(schema: Schema.Schema<A, I, never>): restate.Serde<A> {
  return new restate.serde.JsonSerde<A>(JSONSchema.make(schema));
}

/** The key of an object or workflow invocation, checked against its Schema (a 400 naming the key when invalid). */
export function checkedKey(
  ctx: { readonly key: string },
  schema: Schema.Schema<string>,
  what: string,
): string {
  const key = ctx.key;
  if (!Schema.is(schema)(key)) {
    throw new InvalidRequestError(`${what} "${ctx.key}" is invalid: use ${identifierRule}`);
  }
  return key;
}
