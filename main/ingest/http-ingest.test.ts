import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AKTUALIZR_DEVICE,
  CAROTA_TRIGGER,
  CORRELATION,
  EDGEHOG_DEVICE,
  EDGEHOG_REQUEST,
  VIN,
  aktualizrReport,
  carotaEnvelope,
  edgehogBson,
  edgehogValue,
  oemNotification,
} from '../../test-support/vehicle-payloads';
import { createHttpIngest } from './http-ingest';
import { createMemorySink, type MemorySink } from '../../test-support/memory-sink';

const LIMIT = 512 * 1024;

let sink: MemorySink;
let server: http.Server;
let base: string;

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** One request with full control over method, headers and body (fetch would set its own). */
function request(method: string, path: string, body?: string | Uint8Array, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${path}`, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const json = (value: unknown) => JSON.stringify(value);

/** A CarOTA OTA_EVENT naming its vehicle nowhere: no vin in the envelope nor in the body. */
function carotaWithoutVin() {
  const { vin: _vin, ...envelope } = carotaEnvelope();
  const { vin: _bodyVin, ...body } = JSON.parse(Buffer.from(envelope.body, 'base64').toString('utf8')) as Record<string, unknown>;
  return { ...envelope, body: Buffer.from(JSON.stringify(body)).toString('base64') };
}
const JSON_TYPE = { 'content-type': 'application/json' };

beforeAll(async () => {
  sink = createMemorySink();
  const ingest = createHttpIngest({ accept: (e, o) => sink.accept(e, o), reject: (e, o) => sink.reject(e, o) }, { maxBodyBytes: LIMIT });
  server = http.createServer((req, res) => {
    if (!ingest(req, res)) res.writeHead(404, { 'content-type': 'text/plain' }).end('not an ingest route');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

beforeEach(() => {
  sink = createMemorySink();
});

describe('accepted reports reach the sink', () => {
  it('POST /events: an aktualizr array, device from x-device-id, answered 204', async () => {
    const res = await request('POST', '/events', json(aktualizrReport(3)), { ...JSON_TYPE, 'x-device-id': AKTUALIZR_DEVICE });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    const events = sink.events();
    expect(events).toHaveLength(3);
    expect(events.every((e) => e.source === 'aktualizr' && e.device === AKTUALIZR_DEVICE && e.campaign === CORRELATION)).toBe(true);
    expect(events.map((e) => e.id)).toEqual(['aktualizr-event-0', 'aktualizr-event-1', 'aktualizr-event-2']);
    expect(sink.accepted[0]!.origin).toMatch(/^http POST \/events from 127\.0\.0\.1/);
    expect(sink.rejected).toEqual([]);
  });

  it('POST /events: device from ?device= when there is no header, the header winning over the query', async () => {
    expect((await request('POST', '/events?device=from-query', json(aktualizrReport(1)), JSON_TYPE)).status).toBe(204);
    expect((await request('POST', '/events?device=from-query', json(aktualizrReport(1)), { ...JSON_TYPE, 'x-device-id': 'from-header' })).status).toBe(204);
    expect(sink.events().map((e) => e.device)).toEqual(['from-query', 'from-header']);
  });

  it('POST /ingest/aktualizr answers 200 with the count', async () => {
    const res = await request('POST', `/ingest/aktualizr?device=${AKTUALIZR_DEVICE}`, json(aktualizrReport(2)), JSON_TYPE);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ accepted: 2 });
    expect(sink.events()).toHaveLength(2);
  });

  it('answers a 1,000-event aktualizr batch in one request, every event recorded', async () => {
    const res = await request('POST', '/events', json(aktualizrReport(1000)), { ...JSON_TYPE, 'x-device-id': AKTUALIZR_DEVICE });
    expect(res.status).toBe(204);
    expect(sink.accepted).toHaveLength(1);
    expect(sink.events()).toHaveLength(1000);
    expect(new Set(sink.events().map((e) => e.id)).size).toBe(1000);
  });

  it('POST /ingest/carota: an OTA_EVENT envelope, device = VIN, campaign = correlation_id', async () => {
    const res = await request('POST', '/ingest/carota', json(carotaEnvelope(3)), JSON_TYPE);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ accepted: 1 });
    const [event] = sink.events();
    expect(event).toMatchObject({ source: 'carota', device: VIN, campaign: CAROTA_TRIGGER, phase: 'download', state: 'running', percent: 40 });
  });

  it('POST /ingest/edgehog: BSON with ?device=', async () => {
    const res = await request('POST', `/ingest/edgehog?device=${EDGEHOG_DEVICE}`, edgehogBson('Downloading', 50), { 'content-type': 'application/bson' });
    expect(res.status).toBe(200);
    expect(sink.events()[0]).toMatchObject({ source: 'edgehog', device: EDGEHOG_DEVICE, campaign: EDGEHOG_REQUEST, percent: 50, time: '2025-03-04T09:16:00.000Z' });
  });

  it('POST /ingest/edgehog: JSON {"v", "t"} with ?device=', async () => {
    const body = json({ t: '2025-03-04T09:17:00Z', v: edgehogValue('Deploying', 10) });
    const res = await request('POST', `/ingest/edgehog?device=${EDGEHOG_DEVICE}`, body, JSON_TYPE);
    expect(res.status).toBe(200);
    expect(sink.events()[0]).toMatchObject({ source: 'edgehog', device: EDGEHOG_DEVICE, phase: 'install', percent: 10 });
  });

  it('POST /ingest/oem: a C_15_Req notification, device = the signed VIN', async () => {
    const res = await request('POST', '/ingest/oem', json(oemNotification('download', 'inProgress')), { 'content-type': 'application/json; charset=utf-8' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ accepted: 1 });
    expect(sink.events()[0]).toMatchObject({ source: 'oem', device: VIN, campaign: '31337', phase: 'download', percent: 25 });
  });

  it('passes a request target it cannot parse to the next handler', async () => {
    const res = await request('POST', '//[', '{}', JSON_TYPE);
    expect(res.status).toBe(404);
    expect(res.text).toBe('not an ingest route');
  });

  it('leaves other paths to the next handler and answers unknown /ingest/ paths 404', async () => {
    const other = await request('GET', '/index.html');
    expect(other.status).toBe(404);
    expect(other.text).toBe('not an ingest route');
    const unknown = await request('POST', '/ingest/telematics', '{}', JSON_TYPE);
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.text).error).toMatch(/no ingest endpoint/);
    expect(sink.accepted).toEqual([]);
    expect(sink.rejected).toEqual([]);
  });
});

describe('who may report', () => {
  it('refuses a request a browser sent (it carries an Origin), without a log entry', async () => {
    const res = await request('POST', '/events?device=v1', json(aktualizrReport(1)), { ...JSON_TYPE, origin: 'http://localhost:1' });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.text).error).toBe('vehicle reports are not taken from web pages');
    expect(sink.accepted).toEqual([]);
    expect(sink.rejected).toEqual([]);
  });

  it('with a bearer token, refuses a missing or wrong one (401, not logged) and takes the right one', async () => {
    const token = 'T0k3n-for-the-site-LAN';
    const guarded = createHttpIngest({ accept: (e, o) => sink.accept(e, o), reject: (e, o) => sink.reject(e, o) }, { bearerToken: token });
    const other = http.createServer((req, res) => void guarded(req, res));
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    const at = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    const post = (headers: Record<string, string>) => fetch(`${at}/events?device=v1`, { method: 'POST', headers: { ...JSON_TYPE, ...headers }, body: json(aktualizrReport(1)) });
    try {
      for (const authorization of [undefined, 'Bearer wrong-token-of-same-size', `Basic ${token}`, `Bearer ${token}x`]) {
        const res = await post(authorization ? { authorization } : {});
        expect(res.status, authorization).toBe(401);
        expect(res.headers.get('www-authenticate')).toBe('Bearer realm="dockside-ingest"');
      }
      expect(sink.rejected).toEqual([]);
      expect((await post({ authorization: `Bearer ${token}` })).status).toBe(204);
      expect((await post({ authorization: `bearer ${token}` })).status).toBe(204);
      expect(sink.events()).toHaveLength(2);
    } finally {
      await new Promise<void>((r) => other.close(() => r()));
    }
  });
});

describe('refused input: the right status, one logged error, nothing else, and the server keeps serving', () => {
  const cases: { name: string; send: () => Promise<Answer>; status: number; protocol: string; reason: RegExp }[] = [
    { name: 'not JSON', send: () => request('POST', '/events?device=v1', '[{"eventType": ', JSON_TYPE), status: 400, protocol: 'aktualizr', reason: /JSON/ },
    { name: 'aktualizr list of numbers', send: () => request('POST', '/events?device=v1', json([42]), JSON_TYPE), status: 400, protocol: 'aktualizr', reason: /number/ },
    { name: 'aktualizr empty list', send: () => request('POST', '/events?device=v1', '[]', JSON_TYPE), status: 400, protocol: 'aktualizr', reason: /empty/ },
    { name: 'aktualizr without a device', send: () => request('POST', '/events', json(aktualizrReport(1)), JSON_TYPE), status: 400, protocol: 'aktualizr', reason: /x-device-id/ },
    {
      name: 'CarOTA body not base64',
      send: () => request('POST', '/ingest/carota', json({ ...carotaEnvelope(), body: 'eyJzdGF0dXMiOiAzfQ==!*' }), JSON_TYPE),
      status: 400,
      protocol: 'carota',
      reason: /base64/,
    },
    { name: 'CarOTA wrong shape', send: () => request('POST', '/ingest/carota', json({ hello: 'world' }), JSON_TYPE), status: 400, protocol: 'carota', reason: /message_type/ },
    {
      name: 'truncated BSON',
      send: () => request('POST', `/ingest/edgehog?device=${EDGEHOG_DEVICE}`, edgehogBson().subarray(0, 40), { 'content-type': 'application/bson' }),
      status: 400,
      protocol: 'edgehog',
      reason: /BSON/,
    },
    { name: 'Edgehog without a device', send: () => request('POST', '/ingest/edgehog', edgehogBson(), { 'content-type': 'application/bson' }), status: 400, protocol: 'edgehog', reason: /device/ },
    { name: 'OEM wrong shape', send: () => request('POST', '/ingest/oem', json({ signed: { vin: VIN, events: 'none' } }), JSON_TYPE), status: 400, protocol: 'oem', reason: /events/ },
    { name: 'empty body', send: () => request('POST', '/ingest/oem', '', JSON_TYPE), status: 400, protocol: 'oem', reason: /empty/ },
    { name: 'declared too large', send: () => request('POST', '/ingest/carota', 'x'.repeat(LIMIT + 1), JSON_TYPE), status: 413, protocol: 'carota', reason: /limit/ },
    { name: 'wrong method', send: () => request('GET', '/events'), status: 405, protocol: 'aktualizr', reason: /POST/ },
    {
      name: 'unsupported content type',
      send: () => request('POST', '/ingest/oem', 'a=1', { 'content-type': 'application/x-www-form-urlencoded' }),
      status: 415,
      protocol: 'oem',
      reason: /content type/,
    },
    {
      name: 'BSON sent to a JSON protocol',
      send: () => request('POST', '/ingest/carota', edgehogBson(), { 'content-type': 'application/bson' }),
      status: 415,
      protocol: 'carota',
      reason: /application\/json/,
    },
    // What a page may send anywhere without a preflight: a "no-cors" POST is text/plain.
    {
      name: 'text/plain (a no-cors POST from a page)',
      send: () => request('POST', '/events?device=v1', json(aktualizrReport(1)), { 'content-type': 'text/plain;charset=UTF-8' }),
      status: 415,
      protocol: 'aktualizr',
      reason: /application\/json/,
    },
    { name: 'no content type', send: () => request('POST', '/ingest/oem', json(oemNotification())), status: 415, protocol: 'oem', reason: /application\/json/ },
    {
      name: 'invalid UTF-8',
      send: () => request('POST', '/events?device=v1', Buffer.from([0x5b, 0x22, 0xc3, 0x28, 0x22, 0x5d]), JSON_TYPE),
      status: 400,
      protocol: 'aktualizr',
      reason: /not valid UTF-8/,
    },
    {
      name: 'overlong UTF-8 in Edgehog JSON',
      send: () => request('POST', `/ingest/edgehog?device=${EDGEHOG_DEVICE}`, Buffer.from([0x7b, 0xc0, 0xaf, 0x7d]), JSON_TYPE),
      status: 400,
      protocol: 'edgehog',
      reason: /not valid UTF-8/,
    },
    {
      name: 'CarOTA without a VIN',
      send: () => request('POST', '/ingest/carota', json(carotaWithoutVin()), JSON_TYPE),
      status: 400,
      protocol: 'carota',
      reason: /^vin missing: name the vehicle in body\.vin or vin/,
    },
    {
      name: 'OEM without a VIN',
      send: () => request('POST', '/ingest/oem', json({ signed: { primaryId: '1', events: oemNotification().signed.events } }), JSON_TYPE),
      status: 400,
      protocol: 'oem',
      reason: /^signed\.vin missing/,
    },
  ];

  it.each(cases)('$name → $status', async ({ send, status, protocol, reason }) => {
    const res = await send();
    expect(res.status).toBe(status);
    expect(JSON.parse(res.text).error).toMatch(reason);
    expect(sink.rejected).toHaveLength(1);
    expect(sink.rejected[0]!.error).toMatchObject({ protocol, reason: expect.stringMatching(reason) });
    expect(sink.accepted).toEqual([]);
    const next = await request('POST', '/ingest/carota', json(carotaEnvelope()), JSON_TYPE);
    expect(next.status).toBe(200);
    expect(sink.events()).toHaveLength(1);
  });

  it('says which methods a route allows', async () => {
    const res = await request('PUT', '/ingest/oem', json(oemNotification()), JSON_TYPE);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('POST');
  });

  it('keeps the raw payload of a refused message in the error entry, binary as base64', async () => {
    await request('POST', '/events?device=v1', 'not json at all', JSON_TYPE);
    const truncated = edgehogBson().subarray(0, 30);
    await request('POST', `/ingest/edgehog?device=${EDGEHOG_DEVICE}`, truncated, { 'content-type': 'application/bson' });
    expect(sink.rejected.map((r) => r.error.raw)).toEqual(['not json at all', `base64:${Buffer.from(truncated).toString('base64')}`]);
  });

  it('stops reading a streamed body past the limit and answers 413', async () => {
    const answer = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${base}/ingest/carota`, { method: 'POST', headers: JSON_TYPE, agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      // The server may close the connection while we still write: that is the point.
      req.on('error', (e) => (sink.rejected.length > 0 ? undefined : reject(e)));
      const chunk = Buffer.alloc(16 * 1024, 0x20);
      let written = 0;
      const pump = () => {
        while (written < LIMIT * 8) {
          written += chunk.length;
          if (!req.write(chunk)) return req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    expect(answer).toBe(413);
    expect(sink.rejected).toHaveLength(1);
    expect(sink.rejected[0]!.error.reason).toMatch(/limit/);
    expect((await request('POST', '/ingest/carota', json(carotaEnvelope()), JSON_TYPE)).status).toBe(200);
  });

  it('answers 503 when the sink cannot make events durable, and serves the next request', async () => {
    sink.failAccepts(true);
    const res = await request('POST', '/ingest/carota', json(carotaEnvelope()), JSON_TYPE);
    expect(res.status).toBe(503);
    expect(JSON.parse(res.text).error).toMatch(/could not record/);
    sink.failAccepts(false);
    expect((await request('POST', '/ingest/carota', json(carotaEnvelope()), JSON_TYPE)).status).toBe(200);
    expect(sink.events()).toHaveLength(1);
  });
});
