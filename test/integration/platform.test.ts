import { inject, afterAll, describe, expect, it } from "vitest";
import { HttpCallError } from "@restatedev/restate-sdk-clients";
import { provisionDatabase, startStack } from "../support/stack.ts";
import { productClient, testDatabase, uniqueId } from "../support/clients.ts";

const db = testDatabase();
afterAll(() => db.end());

async function callIngress(path: string, body: unknown): Promise<{ status: number; text: string }> {
  const response = await fetch(new URL(path, inject("stack").ingressUrl), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}

describe("product object through the ingress", () => {
  it("creates a product with defaults and stores it in Postgres", async () => {
    const id = uniqueId("widget");
    const saved = await productClient(id).upsert({ name: "Blue widget", leadTimeDays: 5, unitCost: "12.50" });
    expect(saved).toMatchObject({
      id,
      sku: id,
      name: "Blue widget",
      stock: 0,
      leadTimeDays: 5,
      currency: "USD",
    });
    const [row] =
      await db`select name, unit_cost::text as unit_cost, lead_time_days from products where id = ${id}`;
    expect(row).toEqual({ name: "Blue widget", unitCost: "12.5000", leadTimeDays: 5 });
  });

  it("updates only the fields given and keeps the rest", async () => {
    const id = uniqueId("widget");
    const product = productClient(id);
    await product.upsert({ name: "Widget", category: "Tools", unitCost: "3.10", currency: "BRL" });
    const updated = await product.upsert({ leadTimeDays: 12 });
    expect(updated).toMatchObject({
      name: "Widget",
      category: "Tools",
      unitCost: "3.1000",
      currency: "BRL",
      leadTimeDays: 12,
    });
    expect((await product.status()).revision).toBe(2);
  });

  it("sets stock and reports it in the status", async () => {
    const id = uniqueId("widget");
    const product = productClient(id);
    await product.upsert({ name: "Widget" });
    await product.setStock({ stock: 42 });
    expect((await product.status()).product.stock).toBe(42);
  });

  it("answers 404 for the status of a product that does not exist", async () => {
    const error = await Promise.resolve(productClient(uniqueId("ghost")).status()).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(HttpCallError);
    expect((error as HttpCallError).status).toBe(404);
    expect((error as HttpCallError).message).toMatch(/does not exist/);
  });

  it("rejects invalid input with 400 and a message naming the field", async () => {
    const id = uniqueId("widget");
    const negativeStock = await callIngress(`/product/${id}/upsert`, { name: "Widget", stock: -3 });
    expect(negativeStock.status).toBe(400);
    expect(negativeStock.text).toContain("/stock");
    const badMoney = await callIngress(`/product/${id}/upsert`, { unitCost: 12.5 });
    expect(badMoney.status).toBe(400);
    expect(badMoney.text).toContain("/unitCost");
    const [row] = await db`select count(*)::int as count from products where id = ${id}`;
    expect(row?.count).toBe(0);
  });

  it("rejects a product id that is not a valid identifier", async () => {
    const result = await callIngress(`/product/${encodeURIComponent("bad id!")}/upsert`, { name: "x" });
    expect(result.status).toBe(400);
    expect(result.text).toMatch(/product id/);
  });

  it("refuses a sku that already belongs to another product with 409", async () => {
    const first = uniqueId("a");
    await productClient(first).upsert({ name: "A", sku: `${first}-sku` });
    const result = await callIngress(`/product/${uniqueId("b")}/upsert`, { name: "B", sku: `${first}-sku` });
    expect(result.status).toBe(409);
    expect(result.text).toContain("already belongs");
  });
});

describe("restarts", () => {
  it("keeps product state when the Restate server restarts with the same data dir", async () => {
    const database = await provisionDatabase();
    const stack = await startStack({ database });
    try {
      const id = uniqueId("durable");
      await productClient(id, stack.ingressUrl).upsert({ name: "Durable" });
      await productClient(id, stack.ingressUrl).upsert({ stock: 7 });
      await stack.restartRestate();
      const status = await productClient(id, stack.ingressUrl).status();
      expect(status.revision).toBe(2);
      expect(status.product.stock).toBe(7);
    } finally {
      await stack.stop();
      await database.drop();
    }
  });
});
