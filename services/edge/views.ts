/** Pure view logic of the dashboard: a product's stock status from its purchase advice. */
export { stockStatus, type StockStatus } from "../../shared/catalog/stake.ts";
