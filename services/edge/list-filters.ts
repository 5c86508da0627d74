/** The product list's sort and filter query parameters (`sort`, `abc`, `status`), decoded with a Schema. */
import { Either, Schema } from "effect";

const ListFilters = Schema.Struct({
  sort: Schema.optionalWith(Schema.Literal("risk", "stake", "abc", "name"), { exact: true }),
  abc: Schema.optionalWith(Schema.Literal("A", "B", "C"), { exact: true }),
  status: Schema.optionalWith(Schema.Literal("out_of_stock", "reorder", "ok", "no_forecast"), {
    exact: true,
  }),
});
export type ListFilters = typeof ListFilters.Type;

/** The filters, or a message naming the bad parameter. */
export function productListFilters(parameters: URLSearchParams): ListFilters | string {
  const given = Object.fromEntries(
    ["sort", "abc", "status"].flatMap((name) => {
      const value = parameters.get(name);
      return value === null || value === "" ? [] : [[name, value]];
    }),
  );
  const decoded = Schema.decodeUnknownEither(ListFilters)(given);
  if (Either.isRight(decoded)) return decoded.right;
  const name = Object.keys(given).find((key) => !Schema.is(ListFilters)({ [key]: given[key] }));
  return `invalid ${name ?? "filter"} "${name === undefined ? "" : String(given[name])}": sort is risk, stake, abc or name; abc is A, B or C; status is out_of_stock, reorder, ok or no_forecast`;
}
