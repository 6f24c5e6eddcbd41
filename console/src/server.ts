import type { FastifyInstance } from 'fastify';

/** Listen on host:port (port 0 = ephemeral) and return the bound address. */
export async function listen(app: FastifyInstance, port: number, host = '127.0.0.1'): Promise<{ url: string; port: number }> {
  await app.listen({ port, host });
  const address = app.server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  const scheme = app.initialConfig.https ? 'https' : 'http';
  return { url: `${scheme}://${host.includes(':') ? `[${host}]` : host}:${boundPort}`, port: boundPort };
}
