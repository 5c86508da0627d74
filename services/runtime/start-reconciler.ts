/**
 * Arms the reconciler's periodic tick through the ingress at every start (a no-op when a tick is
 * pending). Keeps trying in the background until the ingress accepts the call, so a service that
 * starts before its registration (docker compose) arms it too.
 */
import * as clients from "@restatedev/restate-sdk-clients";
import { log } from "../../shared/runtime/log.ts";
import { reconcilerKey, reconcilerName, type Reconciler } from "../reconciler.ts";

const retryMs = 5000;

export async function startReconciler(ingressUrl: string): Promise<void> {
  const reconciler = clients
    .connect({ url: ingressUrl })
    .objectSendClient<Reconciler>({ name: reconcilerName }, reconcilerKey);
  for (let attempt = 1; ; attempt++) {
    try {
      await reconciler.start();
      return;
    } catch (error) {
      if (attempt === 1)
        log.warn("reconciler not armed yet, retrying", {
          error: error instanceof Error ? error.message : String(error),
        });
      await new Promise((resolve) => setTimeout(resolve, retryMs).unref());
    }
  }
}
