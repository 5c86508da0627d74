/**
 * The one list of procure's Restate services: their names, whether calls name a key, and which
 * handlers only read. The endpoint binds a definition to every name (a missing one fails the type
 * check), the gateway's allow-list and its open read-only calls come from here, and `procure doctor`
 * checks every name is registered. No imports, so the CLI and the handlers can use it without cycles.
 */
export const serviceRegistry = {
  product: {
    keyed: true,
    readOnly: [
      "status",
      "forecast",
      "advice",
      "sources",
      "bestPrice",
      "alerts",
      "modelHistory",
      "forecastHistory",
    ],
  },
  ingestion: { keyed: false, readOnly: ["progress"] },
  scheduler: { keyed: false, readOnly: [] },
  analysis: { keyed: true, readOnly: ["status", "report"] },
  reconciler: { keyed: true, readOnly: [] },
  order: { keyed: true, readOnly: ["show"] },
  purchasing: { keyed: false, readOnly: ["list"] },
  health: { keyed: false, readOnly: ["ping"] },
  alerts: { keyed: false, readOnly: ["rules", "list", "accuracy"] },
} as const satisfies Readonly<
  Record<string, { readonly keyed: boolean; readonly readOnly: readonly string[] }>
>;

export type ServiceName = keyof typeof serviceRegistry;

export interface ServiceEntry {
  readonly keyed: boolean;
  readonly readOnly: readonly string[];
}

export const serviceNames = Object.keys(serviceRegistry) as readonly ServiceName[];

/** The registry entry of a service name, or undefined for a name procure does not have. */
export function serviceEntry(name: string): ServiceEntry | undefined {
  return Object.hasOwn(serviceRegistry, name) ? serviceRegistry[name as ServiceName] : undefined;
}

export const productObjectName = "product" satisfies ServiceName;
export const analysisWorkflowName = "analysis" satisfies ServiceName;
