// A real HTTP server with the ingest routes, for tests whose vehicles post to it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpIngest } from '../main/ingest/http-ingest';
import type { IngestSink } from '../main/ingest/ingest-sink';

/** `bearerToken`: the target wants `Authorization: Bearer <token>`, as a host bound beyond loopback does. */
export async function startIngestTarget(sink: IngestSink, bearerToken?: string): Promise<{ url: string; close: () => Promise<void> }> {
  const ingest = createHttpIngest(sink, bearerToken === undefined ? {} : { bearerToken });
  const server = http.createServer((req, res) => {
    if (!ingest(req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
