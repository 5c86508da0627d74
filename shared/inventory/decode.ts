/**
 * Decodes inventory inputs with their Schema, turning the first problem into an InventoryError that
 * names the field path.
 */
import { Either, ParseResult, Schema } from "effect";
import { InventoryError } from "./errors.ts";

export function decodeOrThrow<A, I>(schema: Schema.Schema<A, I>, input: unknown, root: string): A {
  const decoded = Schema.decodeUnknownEither(schema)(input);
  if (Either.isRight(decoded)) return decoded.right;
  const issue = ParseResult.ArrayFormatter.formatErrorSync(decoded.left)[0];
  const path = (issue?.path ?? []).reduce<string>(
    (joined, key) =>
      typeof key === "number"
        ? `${joined}[${key}]`
        : joined === ""
          ? String(key)
          : `${joined}.${String(key)}`,
    root,
  );
  throw new InventoryError(path === "" ? "input" : path, issue?.message ?? "is invalid");
}
