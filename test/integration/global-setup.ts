/** Starts one shared stack (Postgres database, Restate server, service process) for the integration tests. */
import type { TestProject } from "vitest/node";
import { provisionDatabase, startStack, type StackInfo } from "../support/stack.ts";

declare module "vitest" {
  export interface ProvidedContext {
    stack: StackInfo;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const database = await provisionDatabase();
  const stack = await startStack({ database });
  project.provide("stack", {
    ingressUrl: stack.ingressUrl,
    dashboardUrl: stack.dashboardUrl,
    adminUrl: stack.adminUrl,
    databaseUrl: stack.databaseUrl,
    dataDir: stack.dataDir,
  });
  return async () => {
    await stack.stop();
    await database.drop();
  };
}
