import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a recording server received. */
export interface Received {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** What the server answers: a status, headers and a body (JSON-encoded when not a string). */
export interface Reply {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
}

export type Responder = (req: Received, index: number) => Reply | Promise<Reply>;

/** A local HTTP server on 127.0.0.1 that records every request and answers through `respond`. */
export interface RecordingServer {
  readonly url: string;
  readonly received: Received[];
  respond: Responder;
  close(): Promise<void>;
}

export async function startRecordingServer(respond: Responder = () => ({ status: 201, body: {} })): Promise<RecordingServer> {
  const received: Received[] = [];
  let server: Server | undefined;
  const handle: RecordingServer = {
    url: '',
    received,
    respond,
    close: () => new Promise<void>((resolve) => (server ? (server.closeAllConnections(), server.close(() => resolve())) : resolve())),
  };
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Received = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(r);
      void Promise.resolve(handle.respond(r, received.length - 1)).then(
        (reply) => {
          const text = reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
          res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
          res.end(text);
        },
        () => {
          res.writeHead(500);
          res.end();
        },
      );
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  (handle as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return handle;
}
