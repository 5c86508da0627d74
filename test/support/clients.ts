/** Typed ingress clients and a database handle for integration tests. */
import * as clients from "@restatedev/restate-sdk-clients";
import { inject } from "vitest";
import type { ProductObject } from "../../services/product/index.ts";
import { connectDatabase } from "../../shared/db/connection.ts";

export function ingress(url: string = inject("stack").ingressUrl) {
  return clients.connect({ url });
}

export function productClient(id: string, url?: string) {
  return ingress(url).objectClient<ProductObject>({ name: "product" }, id);
}

export function testDatabase() {
  return connectDatabase(inject("stack").databaseUrl, { maxConnections: 1 });
}

/** A product id unique to this test run, so tests never see each other's products. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
}
