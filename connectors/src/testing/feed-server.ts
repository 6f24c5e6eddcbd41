import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the test server answers with next: a file (200 with ETag and Last-Modified, 304 when unchanged) or a failure. */
export type ServerReply = { kind: 'file'; body: Buffer; etag: string; lastModified: string } | { kind: 'status'; status: number; body: string } | { kind: 'hang' };

export interface TestFeedServer {
  url: string;
  /** Headers of every request, in order. */
  requests: IncomingHttpHeaders[];
  /** Status sent for each request, in order. */
  statuses: number[];
  reply: ServerReply;
  close(): Promise<void>;
}

/** A local node:http server on an ephemeral port, standing in for the publisher's web server in tests. */
export async function startTestFeedServer(reply: ServerReply): Promise<TestFeedServer> {
  const state = { reply };
  const requests: IncomingHttpHeaders[] = [];
  const statuses: number[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req.headers);
    const current = state.reply;
    if (current.kind === 'hang') return;
    let status: number;
    if (current.kind === 'status') {
      status = current.status;
      res.writeHead(status, { 'content-type': 'text/html' }).end(current.body);
    } else if (req.headers['if-none-match'] === current.etag) {
      status = 304;
      res.writeHead(status, { etag: current.etag }).end();
    } else {
      status = 200;
      res.writeHead(status, { 'content-type': 'text/xml', etag: current.etag, 'last-modified': current.lastModified }).end(current.body);
    }
    statuses.push(status);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/rawSpeedVol-all.xml`,
    requests,
    statuses,
    get reply() {
      return state.reply;
    },
    set reply(next: ServerReply) {
      state.reply = next;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

