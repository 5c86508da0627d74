/** Pure view logic of the dashboard: a product's stock status from its purchase advice. */
import type { AdviceResponse } from "../../shared/catalog/insights.ts";

/**
 * - `out_of_stock`: nothing on hand;
 * - `reorder`: stock is at or below the reorder point (the advice says order now);
 * - `ok`: enough stock for the lead time at the service level;
 * - `no_forecast`: no advice yet (no sales uploaded, or the model is still training).
 */
export type StockStatus = "out_of_stock" | "reorder" | "ok" | "no_forecast";

export function stockStatus(stock: number, advice: AdviceResponse | null): StockStatus {
  if (stock <= 0) return "out_of_stock";
  if (advice === null) return "no_forecast";
  return advice.shouldReorder ? "reorder" : "ok";
}
