/**
 * The dashboard's read-only JSON API: products with stock status and stock-out risk, one
 * product's weekly sales, forecast with its interval band, advice and price history, and the
 * latest analysis reports, purchase orders with their lines and timeline. History comes from Postgres; forecast, advice and best price from
 * the product object's shared handlers through the Restate ingress.
 */
import * as clients from "@restatedev/restate-sdk-clients";
import type { AdviceResponse, BestPriceResponse, ForecastResponse } from "../../shared/catalog/insights.ts";
import type { Product } from "../../shared/catalog/product.ts";
import { findAnalysis, type AnalysisRecord } from "../../shared/db/analyses.ts";
import type { Database } from "../../shared/db/connection.ts";
import {
  countMatchingProducts,
  latestAnalyses,
  weeklySales,
  type AnalysisSummary,
  type WeeklySales,
} from "../../shared/db/dashboard.ts";
import { findOrder, listOrders, type OrderRecord, type OrderSummary } from "../../shared/db/orders.ts";
import { listSources, priceHistory, type PricePoint } from "../../shared/db/prices.ts";
import { findProduct, listProducts } from "../../shared/db/products.ts";
import type { ProductObject } from "../product/index.ts";
import { mapConcurrently } from "../../shared/runtime/concurrency.ts";
import { stockStatus, type StockStatus } from "./views.ts";

export const forecastHorizonWeeks = 12;
const adviceConcurrency = 8;

/** A read that may fail (no model yet, ingress down): the value, or why there is none. */
export type Read<T> =
  { readonly value: T; readonly error: null } | { readonly value: null; readonly error: string };

export interface ProductRow {
  readonly id: string;
  readonly sku: string;
  readonly name: string;
  readonly category: string | null;
  readonly stock: number;
  readonly leadTimeDays: number;
  readonly status: StockStatus;
  readonly stockoutRisk: number | null;
  readonly daysOfCover: number | null;
  readonly orderQuantity: number | null;
  readonly abc: "A" | "B" | "C" | null;
}

export interface ProductPage {
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
  readonly products: readonly ProductRow[];
}

export interface ProductDetail {
  readonly product: Product;
  readonly status: StockStatus;
  readonly sales: readonly WeeklySales[];
  readonly forecast: Read<ForecastResponse>;
  readonly advice: Read<AdviceResponse>;
  readonly bestPrice: Read<BestPriceResponse>;
  readonly prices: {
    readonly sources: readonly { readonly id: number; readonly label: string; readonly active: boolean }[];
    readonly points: readonly PricePoint[];
  };
  /** The latest purchase orders with a line for this product. */
  readonly orders: readonly OrderSummary[];
}

async function read<T>(call: () => PromiseLike<T>): Promise<Read<T>> {
  try {
    return { value: await call(), error: null };
  } catch (error) {
    if (error instanceof clients.HttpCallError) return { value: null, error: error.message };
    return { value: null, error: `the Restate ingress did not answer: ${String(error)}` };
  }
}

export interface DashboardApi {
  products(query: {
    readonly search?: string;
    readonly limit: number;
    readonly offset: number;
  }): Promise<ProductPage>;
  product(id: string): Promise<ProductDetail | undefined>;
  analyses(limit: number): Promise<readonly AnalysisSummary[]>;
  analysis(id: string): Promise<AnalysisRecord | undefined>;
  orders(limit: number): Promise<readonly OrderSummary[]>;
  order(id: string): Promise<OrderRecord | undefined>;
}

export function createDashboardApi(deps: {
  readonly db: Database;
  readonly ingressUrl: string;
}): DashboardApi {
  const { db } = deps;
  const ingress = clients.connect({ url: deps.ingressUrl });
  const productObject = (id: string) => ingress.objectClient<ProductObject>({ name: "product" }, id);

  return {
    async products(query) {
      const [total, products] = await Promise.all([
        countMatchingProducts(db, query.search),
        listProducts(db, query),
      ]);
      const rows = await mapConcurrently(
        products,
        adviceConcurrency,
        async (product): Promise<ProductRow> => {
          const advice = (await read(() => productObject(product.id).advice({}))).value;
          return {
            id: product.id,
            sku: product.sku,
            name: product.name,
            category: product.category,
            stock: product.stock,
            leadTimeDays: product.leadTimeDays,
            status: stockStatus(product.stock, advice),
            stockoutRisk: advice?.stockoutRisk ?? null,
            daysOfCover: advice?.daysOfCover ?? null,
            orderQuantity: advice?.orderQuantity ?? null,
            abc: advice?.abc ?? null,
          };
        },
      );
      return { total, limit: query.limit, offset: query.offset, products: rows };
    },

    async product(id) {
      const product = await findProduct(db, id);
      if (product === undefined) return undefined;
      const object = productObject(id);
      const [sales, forecast, advice, bestPrice, sources, points, orders] = await Promise.all([
        weeklySales(db, id),
        read(() => object.forecast({ unit: "week", horizon: forecastHorizonWeeks })),
        read(() => object.advice({})),
        read(() => object.bestPrice()),
        listSources(db, id),
        priceHistory(db, id),
        listOrders(db, { productId: id, limit: 10 }),
      ]);
      return {
        product,
        status: stockStatus(product.stock, advice.value),
        sales,
        forecast,
        advice,
        bestPrice,
        prices: {
          sources: sources.map((source) => ({ id: source.id, label: source.label, active: source.active })),
          points,
        },
        orders,
      };
    },

    analyses: (limit) => latestAnalyses(db, limit),
    analysis: (id) => findAnalysis(db, id),
    orders: (limit) => listOrders(db, { limit }),
    order: (id) => findOrder(db, id),
  };
}
