import type { Server } from 'node:http';
import { createServer } from 'node:net';
import { StartError } from '../describe-error';

/** Why listening on host:port failed, said with what to do about it; any other failure as it is. */
export function explainListenError(error: unknown, host: string, port: number): unknown {
  switch ((error as NodeJS.ErrnoException | undefined)?.code) {
    case 'EADDRINUSE':
      return new StartError(
        `port ${port} on ${host} is in use: stop the other service (another Tessera?), or start with PORT=0 (any free port) or another port, e.g. PORT=${port < 65535 ? port + 1 : port - 1}`,
      );
    case 'EACCES':
      return new StartError(`port ${port} needs privileges this user lacks: start with a port above 1023, e.g. PORT=4000`);
    case 'EADDRNOTAVAIL':
      return new StartError(`HOST=${host} is not an address of this machine: start with HOST=127.0.0.1 (this machine only) or HOST=0.0.0.0 (every interface)`);
    default:
      return error;
  }
}

/**
 * Fails as `explainListenError` says when host:port cannot be listened on. Checked before the slow
 * part of a start (the embedded PostgreSQL, migrations), so a second `npm start` fails at once;
 * `PORT=0` (any free port) needs no check.
 */
export async function checkPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen({ port, host, exclusive: true }, resolve);
    });
  } catch (error) {
    throw explainListenError(error, host, port);
  } finally {
    await new Promise((resolve) => probe.close(resolve));
  }
}

/** Listens on `port` (0: any free one) and `host`, failing as `explainListenError` says; the port it got. */
export async function listen(server: Server, port: number, host: string): Promise<number> {
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    throw explainListenError(error, host, port);
  }
  const address = server.address();
  return typeof address === 'object' && address ? address.port : port;
}

/** The URL of `path` on host:port, with an IPv6 host in brackets. */
export function urlOf(host: string, port: number, path: string): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}${path}`;
}

/** Stops listening and drops every connection: for a listener whose requests are not worth waiting for (a scrape). */
export async function close(server: Server): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}
