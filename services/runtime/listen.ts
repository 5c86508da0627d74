/** Starts a node HTTP or HTTP/2 server and hands back its port and a close that never hangs. */
import type { Server } from "node:net";
import type { AddressInfo } from "node:net";

export interface RunningServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Listens on host:port (port 0 picks a free one). `close` stops accepting, then calls
 * `dropConnections` so open keep-alive connections or HTTP/2 sessions cannot hold it open.
 */
export async function listen(
  server: Server,
  address: { readonly host: string; readonly port: number },
  dropConnections: () => void,
): Promise<RunningServer> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(address.port, address.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        dropConnections();
      }),
  };
}
