/**
 * The `catalog` service: `import` takes a catalogue CSV as the raw request body (text/csv: `sku`
 * plus any of name, category, stock, lead_time_days, unit_cost, currency, supplier, min_order_qty,
 * pack_size, service_level, review_period_days), stores it all-or-nothing and asks every product
 * it changed to refresh its advice snapshot. A stock-only file (`sku,stock`) is the same call.
 * Called by `procure catalog FILE`, the dashboard and scripts through the ingress.
 */
import * as restate from "@restatedev/restate-sdk";
import { parseCatalogCsv, type CatalogColumn } from "../shared/catalog/import.ts";
import { storeCatalog } from "../shared/db/catalog.ts";
import type { RowError } from "../shared/ingest/index.ts";
import type { ServiceDependencies } from "./dependencies.ts";
import { InvalidRequestError } from "./errors.ts";
import { serviceOptions } from "./options.ts";
import { requestAdviceRefresh } from "./product/snapshot.ts";

export interface CatalogImportResult {
  readonly status: "stored" | "unchanged";
  readonly columns: readonly CatalogColumn[];
  readonly rows: number;
  readonly createdProducts: number;
  readonly changedProducts: readonly string[];
}

type StoreOutcome =
  | ({ readonly ok: true } & Omit<CatalogImportResult, "status">)
  | { readonly ok: false; readonly errorCount: number; readonly errors: readonly RowError[] };

function rejection(outcome: { readonly errorCount: number; readonly errors: readonly RowError[] }): string {
  const more =
    outcome.errorCount > outcome.errors.length
      ? [`… and ${outcome.errorCount - outcome.errors.length} more`]
      : [];
  return [
    `catalogue import rejected, nothing was stored: ${outcome.errorCount} bad line(s)`,
    ...outcome.errors.map((error) => error.message),
    ...more,
  ].join("\n");
}

export function createCatalogService(deps: ServiceDependencies) {
  return restate.service({
    name: "catalog",
    handlers: {
      import: restate.handlers.handler(
        { input: restate.serde.binary, accept: "*/*" },
        async (ctx: restate.Context, body: Uint8Array): Promise<CatalogImportResult> => {
          const filename = ctx.request().headers.get("x-filename") ?? null;
          const outcome = await ctx.run("store catalogue", async (): Promise<StoreOutcome> => {
            const parsed = parseCatalogCsv(body);
            if (!parsed.ok) return parsed;
            const stored = await storeCatalog(
              deps.db,
              { id: ctx.request().id, sha256: parsed.sha256, filename, columns: parsed.columns },
              parsed.rows,
            );
            if (!stored.ok) {
              const errors = stored.conflicts.map(({ line, sku }) => ({
                line,
                field: "sku",
                message: `line ${line}: sku "${sku}" is new, but a product with the id "${sku}" already has another sku`,
              }));
              return { ok: false, errorCount: errors.length, errors: errors.slice(0, 100) };
            }
            return { ...stored, columns: parsed.columns };
          });
          if (!outcome.ok) throw new InvalidRequestError(rejection(outcome));
          for (const productId of outcome.changedProducts) requestAdviceRefresh(ctx, productId);
          const { ok: _ok, ...result } = outcome;
          return { status: result.changedProducts.length > 0 ? "stored" : "unchanged", ...result };
        },
      ),
    },
    options: serviceOptions,
  });
}

export type CatalogService = ReturnType<typeof createCatalogService>;
