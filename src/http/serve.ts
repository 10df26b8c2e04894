/** Listening and stopping: in-flight requests finish before the server closes, and no request can end the process. */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { createServer, type RequestListener, type ServerResponse, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';

export interface RunningServer {
  readonly server: Server;
  /** The URL it listens on (the real port when 0 was asked for). */
  readonly url: string;
  /** Stops accepting connections and resolves when in-flight requests have finished. */
  close(): Promise<void>;
}

interface RequestScope {
  readonly response: ServerResponse;
  readonly url: string | undefined;
  readonly logger: Logger;
}

/**
 * The request each piece of asynchronous work belongs to. An exception thrown in a callback that
 * express never sees (a stream or `finished` listener, a timer) escapes every handler; through
 * this scope it still fails only the request it came from.
 */
const requestScope = new AsyncLocalStorage<RequestScope>();
let runningServers = 0;

function failRequest(scope: RequestScope, error: unknown): void {
  const requestId = randomUUID();
  scope.logger.error({ err: error, requestId, url: scope.url }, 'error escaped the request handlers; answered 500');
  const { response } = scope;
  if (response.headersSent || response.destroyed) {
    response.destroy();
    return;
  }
  try {
    // Whatever headers made the first attempt throw must not be sent again.
    for (const name of response.getHeaderNames()) response.removeHeader(name);
    response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
    response.end(`internal error (request id ${requestId})\n`);
  } catch {
    response.destroy();
  }
}

function escaped(error: unknown): void {
  const scope = requestScope.getStore();
  if (scope) {
    failRequest(scope, error);
    return;
  }
  // Not a request's: the process state is unknown, so it stops as it would without this handler.
  console.error(error);
  process.exit(1);
}

function guardProcess(): void {
  if (runningServers++ === 0) {
    process.on('uncaughtException', escaped);
    process.on('unhandledRejection', escaped);
  }
}

function unguardProcess(): void {
  if (--runningServers === 0) {
    process.off('uncaughtException', escaped);
    process.off('unhandledRejection', escaped);
  }
}

export async function serve(handler: RequestListener, { host, port, logger }: { host: string; port: number; logger: Logger }): Promise<RunningServer> {
  const server = createServer((request, response) =>
    requestScope.run({ response, url: request.url, logger }, () => handler(request, response)),
  );
  // A slow client must not hold a socket forever.
  server.headersTimeout = 20_000;
  server.requestTimeout = 120_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  guardProcess();
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    server,
    url: `http://${shownHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => {
          unguardProcess();
          if (error) reject(error);
          else resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
