import { describe, expect, inject, it } from "vitest";
import { serviceNames, serviceRegistry } from "../../services/registry.ts";

interface ServiceMetadata {
  readonly name: string;
  readonly handlers: readonly { readonly name: string; readonly ty?: string }[];
}

interface OpenApiOperation {
  readonly requestBody?: { readonly content?: Record<string, { readonly schema?: object }> };
  readonly responses?: Record<string, { readonly content?: Record<string, { readonly schema?: object }> }>;
}

async function adminJson<T>(path: string): Promise<T> {
  const response = await fetch(new URL(path, inject("stack").adminUrl));
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

/** The OpenAPI operation of one handler, whatever path form Restate gives it. */
function operation(spec: OpenApi, handler: string) {
  const entry = Object.entries(spec.paths).find(([path]) => path.endsWith(`/${handler}`));
  expect(entry, `an OpenAPI path for ${handler}`).toBeDefined();
  return entry![1].post!;
}

interface OpenApi {
  readonly paths: Record<string, Record<string, OpenApiOperation>>;
  readonly components?: { readonly schemas?: Record<string, object> };
}

/** The body's schema as text, with a `#/components/schemas/...` reference resolved. */
function schemaText(
  spec: OpenApi,
  part: { readonly content?: Record<string, { readonly schema?: object }> } | undefined,
) {
  const schema: object = Object.values(part?.content ?? {})[0]?.schema ?? {};
  const ref = "$ref" in schema && typeof schema.$ref === "string" ? schema.$ref : undefined;
  const resolved = ref === undefined ? schema : spec.components?.schemas?.[ref.split("/").at(-1)!];
  return JSON.stringify(resolved ?? {});
}

describe("API contracts (shared stack)", () => {
  it("registers every service of the registry, with its read-only handlers as shared handlers", async () => {
    for (const name of serviceNames) {
      const service = await adminJson<ServiceMetadata>(`/services/${name}`);
      const handlers = new Map(service.handlers.map((handler) => [handler.name, handler]));
      for (const readOnly of serviceRegistry[name].readOnly) {
        expect(handlers.has(readOnly), `${name}/${readOnly}`).toBe(true);
        if (name === "product" || name === "analysis")
          expect(handlers.get(readOnly)?.ty, `${name}/${readOnly}`).toBe("Shared");
      }
    }
  });

  it("publishes request and response bodies as JSON Schema in the generated OpenAPI", async () => {
    const spec = await adminJson<OpenApi>("/services/product/openapi");
    const forecast = operation(spec, "forecast");
    expect(schemaText(spec, forecast.requestBody)).toContain('"horizon"');
    expect(schemaText(spec, forecast.responses?.["200"])).toContain('"points"');
    expect(schemaText(spec, operation(spec, "advice").responses?.["200"])).toContain('"reorderPoint"');
    expect(schemaText(spec, operation(spec, "upsert").requestBody)).toContain('"leadTimeDays"');
    expect(schemaText(spec, operation(spec, "bestPrice").responses?.["200"])).toContain('"history"');

    const ingestion = await adminJson<OpenApi>("/services/ingestion/openapi");
    expect(schemaText(ingestion, operation(ingestion, "progress").requestBody)).toContain('"uploadId"');
  });
});
