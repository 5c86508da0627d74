/**
 * The `product` virtual object, keyed by product id. Exclusive handlers (profile, stock, retrain,
 * scrape, schedule) run one at a time per product; shared handlers (status, forecast, advice,
 * bestPrice) never wait for them. Called by the CLI and dashboard through the ingress, by the
 * ingestion service (retrain) and by the analysis workflow (its tools).
 */
import * as restate from "@restatedev/restate-sdk";
import type { ServiceDependencies } from "../dependencies.ts";
import { serviceOptions } from "../options.ts";
import { productObjectName } from "../registry.ts";
import { alertHandlers } from "./alerts.ts";
import { catalogHandlers } from "./catalog.ts";
import { forecastingHandlers } from "./forecasting.ts";
import { healingHandlers } from "./healing.ts";
import { modelHistoryHandlers } from "./model-history.ts";
import { pricingHandlers } from "./pricing.ts";
import { receivingHandlers } from "./receiving.ts";

export { productObjectName };

export function createProductObject(deps: ServiceDependencies) {
  return restate.object({
    name: productObjectName,
    handlers: {
      ...catalogHandlers(deps),
      ...forecastingHandlers(deps),
      ...pricingHandlers(deps),
      ...healingHandlers(deps),
      ...alertHandlers(deps),
      ...modelHistoryHandlers(deps),
      ...receivingHandlers(deps),
    },
    options: serviceOptions,
  });
}

export type ProductObject = ReturnType<typeof createProductObject>;
