/**
 * Pre-flight check of the ports `npm start` is about to listen on: a port held by another process
 * is reported with what it was for and the variable that moves it, before anything starts, so a
 * start never silently talks to someone else's server.
 */
import { createServer } from "node:net";

export interface PlannedPort {
  readonly host: string;
  readonly port: number;
  /** What would listen there, e.g. "the Restate ingress". */
  readonly purpose: string;
  /** The setting that chooses the port. */
  readonly variable: string;
}

export class PortsTakenError extends Error {
  override readonly name = "PortsTakenError";
}

function isFree({ host, port }: PlannedPort): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

export async function assertPortsFree(planned: ReadonlyArray<PlannedPort>): Promise<void> {
  const taken: PlannedPort[] = [];
  for (const port of planned) if (!(await isFree(port))) taken.push(port);
  if (taken.length === 0) return;
  const lines = taken.map(
    (port) =>
      `  ${port.host}:${port.port} (${port.purpose}) is in use by another process; set ${port.variable}`,
  );
  throw new PortsTakenError(
    ["cannot start: ports are taken", ...lines, "Stop what holds them, or choose other ports."].join("\n"),
  );
}
