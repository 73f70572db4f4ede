import { type Server, type Socket, connect, createServer } from 'node:net';

/**
 * A TCP proxy in front of PostgreSQL that can play a network partition: while `partitioned`, it
 * drops every byte both ways and lets new connections hang, and no connection is closed, so no
 * side learns anything from the network.
 */
export class PartitionableProxy {
  partitioned = false;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(target: { host: string; port: number }): Promise<PartitionableProxy> {
    let proxy: PartitionableProxy | undefined;
    const server = createServer((client) => {
      const upstream = connect(target.port, target.host);
      for (const socket of [client, upstream]) {
        proxy!.sockets.add(socket);
        socket.on('error', () => undefined);
        socket.on('close', () => proxy!.sockets.delete(socket));
      }
      client.on('data', (data) => proxy!.partitioned || upstream.write(data));
      upstream.on('data', (data) => proxy!.partitioned || client.write(data));
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    proxy = new PartitionableProxy(server, typeof address === 'object' && address ? address.port : 0);
    return proxy;
  }

  /** `url` with its host and port replaced by the proxy's. */
  urlFor(url: string): string {
    const proxied = new URL(url);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(this.port);
    return proxied.toString();
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
