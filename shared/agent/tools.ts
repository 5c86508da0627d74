/**
 * The agents' data tools — demand forecast, best price, stock level, purchase advice — each a
 * read of the product object. Inputs are Effect Schemas (their JSON Schema is what the model
 * sees); outputs are decoded with the product read handlers' wire Schemas, so only structured
 * numbers and short identifiers reach a prompt. Bad input or a failed read is a tool error.
 */
import { Either, JSONSchema, ParseResult, Schema } from "effect";
import {
  AdviceRequest,
  AdviceResponse,
  BestPriceResponse,
  ForecastRequest,
  ForecastResponse,
} from "../catalog/insights.ts";
import { Product } from "../catalog/product.ts";
import { ProductId } from "../ids/index.ts";
import type { Budget } from "./budget.ts";
import type { ToolDefinition } from "./llm.ts";

export const ProductToolInput = Schema.Struct({ productId: ProductId });
export type ProductToolInput = typeof ProductToolInput.Type;

export const ForecastToolInput = Schema.Struct({ productId: ProductId, ...ForecastRequest.fields });
export type ForecastToolInput = typeof ForecastToolInput.Type;

export const AdviceToolInput = Schema.Struct({ productId: ProductId, ...AdviceRequest.fields });
export type AdviceToolInput = typeof AdviceToolInput.Type;

export const StockLevel = Schema.Struct({
  productId: Schema.String,
  stock: Schema.Number,
  leadTimeDays: Schema.Number,
  unitCost: Schema.NullOr(Schema.String),
  currency: Schema.String,
});
export type StockLevel = typeof StockLevel.Type;

const ProductStatus = Schema.Struct({ product: Product });

export type DataToolCall =
  | { readonly name: "get_demand_forecast"; readonly input: ForecastToolInput }
  | { readonly name: "get_best_price"; readonly input: ProductToolInput }
  | { readonly name: "get_stock_level"; readonly input: ProductToolInput }
  | { readonly name: "get_purchase_advice"; readonly input: AdviceToolInput };

export type DataToolName = DataToolCall["name"];

export type DataToolResult =
  | { readonly name: "get_demand_forecast"; readonly value: ForecastResponse }
  | { readonly name: "get_best_price"; readonly value: BestPriceResponse }
  | { readonly name: "get_stock_level"; readonly value: StockLevel }
  | { readonly name: "get_purchase_advice"; readonly value: AdviceResponse };

export type Outcome<A> =
  { readonly ok: true; readonly value: A } | { readonly ok: false; readonly error: string };

/** The product object's read handlers as the workflow calls them; a failed call is `ok: false`. */
export interface ProductReads {
  forecast(productId: string, request: ForecastRequest): Promise<Outcome<unknown>>;
  bestPrice(productId: string): Promise<Outcome<unknown>>;
  status(productId: string): Promise<Outcome<unknown>>;
  advice(productId: string, request: AdviceRequest): Promise<Outcome<unknown>>;
}

/** One line per problem, naming the field: what the model sees when its input does not decode. */
export function describeParseError(error: ParseResult.ParseError): string {
  return ParseResult.ArrayFormatter.formatErrorSync(error)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "input"}: ${issue.message}`)
    .join("; ");
}

export function decodeWith<A, I>(schema: Schema.Schema<A, I, never>, input: unknown): Outcome<A> {
  const decoded = Schema.decodeUnknownEither(schema)(input, { errors: "all", onExcessProperty: "error" });
  return Either.isRight(decoded)
    ? { ok: true, value: decoded.right }
    : { ok: false, error: describeParseError(decoded.left) };
}

function decodeResponse<A, I>(schema: Schema.Schema<A, I, never>, outcome: Outcome<unknown>): Outcome<A> {
  if (!outcome.ok) return outcome;
  const decoded = Schema.decodeUnknownEither(schema)(outcome.value, { onExcessProperty: "ignore" });
  return Either.isRight(decoded)
    ? { ok: true, value: decoded.right }
    : {
        ok: false,
        error: `the product service answered in an unexpected shape: ${describeParseError(decoded.left)}`,
      };
}

function tagged<N extends DataToolName, A>(
  name: N,
  outcome: Outcome<A>,
): Outcome<{ readonly name: N; readonly value: A }> {
  return outcome.ok ? { ok: true, value: { name, value: outcome.value } } : outcome;
}

/** Typed, counted access to the four reads. Every call is counted against the budget's usage. */
export class ProductTools {
  constructor(
    private readonly reads: ProductReads,
    private readonly budget: Budget,
  ) {}

  async forecast(productId: string, request: ForecastRequest = {}): Promise<Outcome<ForecastResponse>> {
    return this.count(decodeResponse(ForecastResponse, await this.reads.forecast(productId, request)));
  }

  async bestPrice(productId: string): Promise<Outcome<BestPriceResponse>> {
    return this.count(decodeResponse(BestPriceResponse, await this.reads.bestPrice(productId)));
  }

  async stockLevel(productId: string): Promise<Outcome<StockLevel>> {
    const status = decodeResponse(ProductStatus, await this.reads.status(productId));
    if (!status.ok) return this.count(status);
    const { id, stock, leadTimeDays, unitCost, currency } = status.value.product;
    return this.count({ ok: true, value: { productId: id, stock, leadTimeDays, unitCost, currency } });
  }

  async advice(productId: string, request: AdviceRequest = {}): Promise<Outcome<AdviceResponse>> {
    return this.count(decodeResponse(AdviceResponse, await this.reads.advice(productId, request)));
  }

  async run(call: DataToolCall): Promise<Outcome<DataToolResult>> {
    switch (call.name) {
      case "get_demand_forecast": {
        const { productId, ...request } = call.input;
        return tagged(call.name, await this.forecast(productId, request));
      }
      case "get_best_price":
        return tagged(call.name, await this.bestPrice(call.input.productId));
      case "get_stock_level":
        return tagged(call.name, await this.stockLevel(call.input.productId));
      case "get_purchase_advice": {
        const { productId, ...request } = call.input;
        return tagged(call.name, await this.advice(productId, request));
      }
    }
  }

  private count<A>(outcome: Outcome<A>): Outcome<A> {
    this.budget.recordToolCall(outcome.ok ? "ok" : "error");
    return outcome;
  }
}

interface ToolSpec {
  readonly description: string;
  readonly input: Schema.Schema.AnyNoContext;
}

const dataToolSpecs: Record<DataToolName, ToolSpec> = {
  get_demand_forecast: {
    description:
      "Demand forecast of one product from its trained model: per-period mean and quantiles (p05..p95), " +
      "the total over the horizon, the method and its backtest accuracy. horizon counts periods of `unit`.",
    input: ForecastToolInput,
  },
  get_best_price: {
    description:
      "Best current price of one product across its price sources (decimal string amounts with currency), " +
      "each source's last quote and status, and the price history's min, max and last.",
    input: ProductToolInput,
  },
  get_stock_level: {
    description: "Stock on hand of one product, its supplier lead time in days and its unit cost.",
    input: ProductToolInput,
  },
  get_purchase_advice: {
    description:
      "Inventory policy of one product: average daily demand, lead-time demand, safety stock, reorder point, " +
      "order-up-to level, suggested order quantity, days of cover, stock-out risk during the lead time " +
      "(0..1), whether to reorder now, unit price and expected cost.",
    input: AdviceToolInput,
  },
};

export const dataToolNames = Object.keys(dataToolSpecs) as readonly DataToolName[];

function isDataToolName(name: string): name is DataToolName {
  return Object.hasOwn(dataToolSpecs, name);
}

/** A tool as the model sees it: name, description and the JSON Schema of its input Schema. */
export function toolDefinition(
  name: string,
  description: string,
  input: Schema.Schema.AnyNoContext,
): ToolDefinition {
  const { $schema: _dialect, ...schema } = JSONSchema.make(input);
  return { name, description, input_schema: { ...schema, type: "object" } };
}

export const dataToolDefinitions: readonly ToolDefinition[] = dataToolNames.map((name) =>
  toolDefinition(name, dataToolSpecs[name].description, dataToolSpecs[name].input),
);

function decodeCall<N extends DataToolName, A, I>(
  name: N,
  schema: Schema.Schema<A, I, never>,
  input: unknown,
): Outcome<{ readonly name: N; readonly input: A }> {
  const decoded = decodeWith(schema, input);
  return decoded.ok
    ? { ok: true, value: { name, input: decoded.value } }
    : { ok: false, error: `invalid input for ${name}: ${decoded.error}` };
}

/** Decodes a tool_use block into a data tool call, or says what is wrong with it. */
export function decodeDataToolCall(name: string, input: unknown): Outcome<DataToolCall> {
  if (!isDataToolName(name)) return { ok: false, error: `unknown tool "${name}"` };
  switch (name) {
    case "get_demand_forecast":
      return decodeCall(name, ForecastToolInput, input);
    case "get_best_price":
    case "get_stock_level":
      return decodeCall(name, ProductToolInput, input);
    case "get_purchase_advice":
      return decodeCall(name, AdviceToolInput, input);
  }
}
