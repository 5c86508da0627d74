/** Shared Restate service options: error mapping, bounded retries, Schema-validated inputs. */
import * as restate from "@restatedev/restate-sdk";
import { JSONSchema, Schema } from "effect";
import { identifierRule } from "../shared/ids/index.ts";
import { InvalidRequestError, asTerminalError } from "./errors.ts";

/**
 * Every service and object retries unexpected failures a bounded number of times and then
 * fails the invocation: nothing is ever left paused (a paused invocation would lock its product).
 */
export const serviceOptions = {
  asTerminalError,
  retryPolicy: {
    initialInterval: 200,
    exponentiationFactor: 2,
    maxInterval: 10_000,
    maxAttempts: 12,
    onMaxAttempts: "kill",
  },
} as const satisfies restate.ServiceOptions;

/**
 * An input serde that decodes JSON with an Effect Schema (a mismatch is a 400 naming the field) and
 * publishes the Schema as JSON Schema, so Restate's generated OpenAPI shows the request body.
 */
export function schemaInput<A, I>(schema: Schema.Schema<A, I, never>): restate.Serde<A> {
  const validating = restate.serde.schema(Schema.standardSchemaV1(schema)) as restate.Serde<A>;
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
  if (!Schema.is(schema)(ctx.key)) {
    throw new InvalidRequestError(`${what} "${ctx.key}" is invalid: use ${identifierRule}`);
  }
  return ctx.key;
}
