/**
 * The catalogue's wire types: a product, its editable profile and its stock, as Schemas.
 * Money is a decimal string with an ISO currency code, never a float.
 */
import { Schema } from "effect";
import { ProductId } from "../ids/index.ts";
import { CurrencyCode, DecimalAmount } from "../money/index.ts";

/** The identifier and money Schemas live in the leaf modules shared/ids and shared/money. */
export { ProductId, identifier, identifierRule } from "../ids/index.ts";
export { CurrencyCode, DecimalAmount } from "../money/index.ts";

const Quantity = Schema.Number.pipe(
  Schema.int({ message: () => "expected a whole number" }),
  Schema.nonNegative({ message: () => "expected a number >= 0" }),
);

const LeadTimeDays = Schema.Number.pipe(
  Schema.int({ message: () => "expected a whole number of days" }),
  Schema.between(0, 365, { message: () => "expected between 0 and 365 days" }),
);

const Text = (maxLength: number) =>
  Schema.String.pipe(
    Schema.trimmed({ message: () => "remove leading and trailing spaces" }),
    Schema.length({ min: 1, max: maxLength }),
  );

/** Body of `product/{id}/upsert`: fields left out keep their current value (or the default on creation). */
export const ProductProfileInput = Schema.Struct({
  name: Schema.optionalWith(Text(300), { exact: true }),
  sku: Schema.optionalWith(Text(64), { exact: true }),
  category: Schema.optionalWith(Schema.NullOr(Text(100)), { exact: true }),
  subCategory: Schema.optionalWith(Schema.NullOr(Text(100)), { exact: true }),
  leadTimeDays: Schema.optionalWith(LeadTimeDays, { exact: true }),
  unitCost: Schema.optionalWith(Schema.NullOr(DecimalAmount), { exact: true }),
  currency: Schema.optionalWith(CurrencyCode, { exact: true }),
  stock: Schema.optionalWith(Quantity, { exact: true }),
});
export type ProductProfileInput = typeof ProductProfileInput.Type;

export const StockInput = Schema.Struct({ stock: Quantity });
export type StockInput = typeof StockInput.Type;

export const Product = Schema.Struct({
  id: ProductId,
  sku: Schema.String,
  name: Schema.String,
  category: Schema.NullOr(Schema.String),
  subCategory: Schema.NullOr(Schema.String),
  stock: Schema.Number,
  leadTimeDays: Schema.Number,
  unitCost: Schema.NullOr(Schema.String),
  currency: Schema.String,
});
export type Product = typeof Product.Type;

/** Fills the defaults a new product gets, and applies a partial profile to an existing one. */
export function applyProfile(id: string, current: Product | undefined, input: ProductProfileInput): Product {
  return {
    id,
    sku: input.sku ?? current?.sku ?? id,
    name: input.name ?? current?.name ?? id,
    category: input.category === undefined ? (current?.category ?? null) : input.category,
    subCategory: input.subCategory === undefined ? (current?.subCategory ?? null) : input.subCategory,
    stock: input.stock ?? current?.stock ?? 0,
    leadTimeDays: input.leadTimeDays ?? current?.leadTimeDays ?? 7,
    unitCost: input.unitCost === undefined ? (current?.unitCost ?? null) : input.unitCost,
    currency: input.currency ?? current?.currency ?? "USD",
  };
}
