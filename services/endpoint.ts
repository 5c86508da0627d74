/**
 * The service endpoint: one HTTP/2 server that Restate invokes, hosting every service,
 * object and workflow of procure. Owning the server (rather than `restate.serve`) lets the
 * process and the test harness close it without hanging.
 */
import http2 from "node:http2";
import * as restate from "@restatedev/restate-sdk";
import { log, type LogLevel } from "../shared/runtime/log.ts";
import type { ServiceDependencies } from "./dependencies.ts";
import { createAlertsService } from "./alerts.ts";
import { createAnalysisWorkflow } from "./analysis/index.ts";
import { healthService } from "./health.ts";
import { createIngestionService } from "./ingestion.ts";
import { listen, type RunningServer } from "./runtime/listen.ts";
import { invocationRetryPolicy } from "./options.ts";
import { createOrderWorkflow } from "./orders/workflow.ts";
import { createPurchasingService } from "./orders/purchasing.ts";
import { createProductObject } from "./product/index.ts";
import { createReconciler } from "./reconciler.ts";
import { serviceNames, type ServiceName } from "./registry.ts";
import { createSchedulerService } from "./scheduler.ts";

/** One definition per registered name: a service missing here, or named differently, fails the type check. */
function createServiceDefinitions(deps: ServiceDependencies) {
  const definitions = {
    product: createProductObject(deps),
    ingestion: createIngestionService(deps),
    scheduler: createSchedulerService(deps),
    analysis: createAnalysisWorkflow(deps),
    reconciler: createReconciler(deps),
    order: createOrderWorkflow(deps),
    purchasing: createPurchasingService(deps),
    health: healthService,
    alerts: createAlertsService(deps),
  } satisfies { readonly [Name in ServiceName]: { readonly name: Name } };
  return serviceNames.map((name) => definitions[name]);
}

/** The SDK's level names (its enum exists only as a type at run time) as procure's levels. */
const logLevelOfSdk: Readonly<Record<string, LogLevel>> = {
  trace: "debug",
  debug: "debug",
  info: "info",
  warn: "warn",
  error: "error",
};

/** Routes the SDK's logs into procure's structured log, without replayed duplicates. */
const sdkLogger: restate.LoggerTransport = (meta, message, ...details) => {
  if (meta.replaying) return;
  const level = logLevelOfSdk[meta.level] ?? "info";
  const fields: Record<string, unknown> = { source: "restate-sdk" };
  if (meta.context) fields.invocation = meta.context.invocationTarget;
  if (meta.context) fields.invocationId = meta.context.invocationId;
  if (details.length > 0)
    fields.details = details.map((detail) => (detail instanceof Error ? detail.message : String(detail)));
  log[level](String(message), fields);
};

export async function startEndpoint(
  deps: ServiceDependencies,
  listenAddress: { readonly host: string; readonly port: number },
): Promise<RunningServer> {
  const handler = restate.createEndpointHandler({
    services: createServiceDefinitions(deps),
    logger: sdkLogger,
    defaultServiceOptions: { retryPolicy: invocationRetryPolicy(deps.config) },
    ...(deps.config.RESTATE_IDENTITY_KEYS.length > 0
      ? { identityKeys: [...deps.config.RESTATE_IDENTITY_KEYS] }
      : {}),
  });
  const server = http2.createServer(handler);
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on("session", (session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
  });
  return listen(server, listenAddress, () => {
    for (const session of sessions) session.destroy();
  });
}
