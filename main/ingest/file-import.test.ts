import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CORRELATION, EDGEHOG_DEVICE, VIN, aktualizrReport, carotaEnvelope, edgehogBson, edgehogValue, oemNotification } from '../../test-support/vehicle-payloads';
import { ImportError, importFile } from './file-import';
import { createMemorySink } from '../../test-support/memory-sink';

const dir = mkdtempSync(join(tmpdir(), 'dockside-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('importFile', () => {
  it('.json holding one aktualizr report', async () => {
    const sink = createMemorySink();
    const path = file('report.json', JSON.stringify(aktualizrReport(4)));
    expect(await importFile(path, sink, { device: 'vehicle-7' })).toEqual({ accepted: 4, rejected: 0 });
    expect(sink.events().every((e) => e.source === 'aktualizr' && e.device === 'vehicle-7' && e.campaign === CORRELATION)).toBe(true);
    expect(sink.accepted.map((a) => a.origin)).toEqual([`file ${path}`]);
  });

  it('.json holding an array of payloads of several protocols', async () => {
    const sink = createMemorySink();
    const path = file('mixed.json', JSON.stringify([carotaEnvelope(1, []), oemNotification(), aktualizrReport(2), { v: edgehogValue('Rebooting', 0), t: 1741080000000 }]));
    expect(await importFile(path, sink, { device: EDGEHOG_DEVICE })).toEqual({ accepted: 5, rejected: 0 });
    expect(sink.events().map((e) => e.source)).toEqual(['carota', 'oem', 'aktualizr', 'aktualizr', 'edgehog']);
  });

  it('.json that is not JSON, with the protocol given: one refusal', async () => {
    const sink = createMemorySink();
    const path = file('broken.json', '{"signed": {"vin": ');
    expect(await importFile(path, sink, { protocol: 'oem' })).toEqual({ accepted: 0, rejected: 1 });
    expect(sink.rejected[0]!.error).toMatchObject({ protocol: 'oem', reason: expect.stringMatching(/not JSON/) });
  });

  it('.jsonl streamed line by line: bad lines refused under the protocol of the file, blank lines skipped', async () => {
    const sink = createMemorySink();
    const lines = [
      'not json',
      JSON.stringify(carotaEnvelope(1, [])),
      '',
      JSON.stringify(carotaEnvelope(100, [])),
      JSON.stringify({ ...carotaEnvelope(), body: 'not base64!' }),
      JSON.stringify({ something: 'else' }),
      JSON.stringify(carotaEnvelope(6, [])),
    ];
    const path = file('capture.jsonl', lines.join('\n') + '\n');
    expect(await importFile(path, sink)).toEqual({ accepted: 3, rejected: 3 });
    expect(sink.events().map((e) => e.device)).toEqual([VIN, VIN, VIN]);
    expect(sink.rejected.map((r) => [r.error.protocol, r.origin])).toEqual([
      ['carota', `file ${path} line 1`],
      ['carota', `file ${path} line 5`],
      ['carota', `file ${path} line 6`],
    ]);
  });

  it('keeps the order of accepted and refused payloads when batching', async () => {
    const sink = createMemorySink();
    const order: string[] = [];
    const path = file('ordered.jsonl', [JSON.stringify(oemNotification()), '{', JSON.stringify(oemNotification('installation', 'accepted'))].join('\n'));
    await importFile(
      path,
      {
        accept: async (events, origin) => {
          order.push(`accept ${events.length}`);
          await sink.accept(events, origin);
        },
        reject: async (error, origin) => {
          order.push('reject');
          await sink.reject(error, origin);
        },
      },
      {},
    );
    expect(order).toEqual(['accept 1', 'reject', 'accept 1']);
  });

  it('.bson of concatenated Edgehog documents, a truncated last one refused', async () => {
    const sink = createMemorySink();
    const docs = [edgehogBson('Downloading', 10), edgehogBson('Downloading', 40), edgehogBson('Downloading', 80)];
    const truncated = edgehogBson('Deploying', 0).subarray(0, 20);
    const path = file('ota.bson', Buffer.concat([...docs, truncated]));
    expect(await importFile(path, sink, { device: EDGEHOG_DEVICE })).toEqual({ accepted: 3, rejected: 1 });
    expect(sink.events().map((e) => e.percent)).toEqual([10, 40, 80]);
    expect(sink.events().every((e) => e.device === EDGEHOG_DEVICE)).toBe(true);
    expect(sink.rejected[0]!.error).toMatchObject({ protocol: 'edgehog', reason: expect.stringMatching(/truncated BSON document at byte \d+/) });
  });

  it('.bson whose bytes are not BSON at all: one refusal', async () => {
    const sink = createMemorySink();
    const path = file('noise.bson', Buffer.from('this is plain text, not BSON'));
    expect(await importFile(path, sink)).toEqual({ accepted: 0, rejected: 1 });
    expect(sink.rejected[0]!.error.reason).toMatch(/not a BSON document at byte 0/);
  });

  it('imports many lines in few sink calls', async () => {
    const sink = createMemorySink();
    const line = JSON.stringify(aktualizrReport(5));
    const path = file('many.jsonl', Array.from({ length: 500 }, () => line).join('\n'));
    expect(await importFile(path, sink, { device: 'vehicle-9' })).toEqual({ accepted: 2500, rejected: 0 });
    expect(sink.accepted.length).toBeLessThanOrEqual(3);
  });

  it.each([
    ['an unknown extension', () => file('capture.txt', '[]'), {}, /expected a \.json, \.jsonl or \.bson/],
    ['a missing file', () => join(dir, 'absent.jsonl'), {}, /no such file/],
    ['a file of no known protocol', () => file('unknown.jsonl', '{"a": 1}\nnope\n'), {}, /no payload of a known protocol/],
    ['.bson named as another protocol', () => file('x.bson', edgehogBson()), { protocol: 'carota' as const }, /Edgehog/],
  ])('refuses %s as a whole, recording nothing', async (_name, make, opts, message) => {
    const sink = createMemorySink();
    await expect(importFile(make(), sink, opts)).rejects.toThrow(ImportError);
    await expect(importFile(make(), sink, opts)).rejects.toThrow(message);
    expect(sink.accepted).toEqual([]);
    expect(sink.rejected).toEqual([]);
  });
});
