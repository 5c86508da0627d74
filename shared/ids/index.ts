/**
 * Identifiers: one rule for every key and code in procure (product ids, SKUs, analysis ids) and the
 * Schemas that check it. A leaf module.
 */
import { Schema } from "effect";

export const identifierRule = "1-64 letters, digits, '.', '_' or '-', starting with a letter or digit";

/** An identifier Schema whose error names what it identifies, e.g. `identifier("a product id")`. */
export function identifier(what: string) {
  return Schema.String.pipe(
    Schema.pattern(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: () => `${what} is ${identifierRule}` }),
  );
}

export const ProductId = identifier("a product id");
