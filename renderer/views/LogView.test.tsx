// @vitest-environment jsdom
// The Log view over the real journal (its query index on disk) through a client that answers log.query.
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { UpgradeEvent } from '../../preload/api';
import { Journal } from '../../main/journal/journal';
import { makeEvent } from '../../test-support/upgrade-events';
import { bindClient } from '../store/bind-client';
import { createStores } from '../store/stores';
import { createFakeClient, type FakeClient } from '../testing/fake-client';
import { manualFrames } from '../testing/manual-frames';
import { renderWith } from '../testing/render';
import { LogView } from './LogView';

const N = 3000;
let dir: string;
let journal: Journal;
let client: FakeClient;

beforeEach(async () => {
  vi.spyOn(Element.prototype, 'clientHeight', 'get').mockReturnValue(600);
  vi.spyOn(Element.prototype, 'clientWidth', 'get').mockReturnValue(1200);
  dir = mkdtempSync(join(tmpdir(), 'dockside-logview-'));
  journal = await Journal.open(dir);
  await journal.appendMany(
    Array.from({ length: N }, (_, i) => ({ kind: 'event' as const, event: makeEvent(i, { raw: { n: i, status: 'DOWNLOADING', meta: [{ key: 'download', value: `${i % 100}%` }] } }) })),
  );
  client = createFakeClient({
    'log.query': (req) => journal.query(req),
    'export.start': () => ({ exportId: 'x1' }),
  });
});

afterEach(async () => {
  cleanup();
  vi.restoreAllMocks();
  await journal.close();
  rmSync(dir, { recursive: true, force: true });
});

const list = () => screen.getByRole('list', { name: 'Events' });
const rows = () => [...list().querySelectorAll(':scope > [role="listitem"]')] as HTMLElement[];
const queries = () => client.calls.filter((c) => c.name === 'log.query').map((c) => c.req as Record<string, unknown>);

describe('LogView', () => {
  it('shows the newest events first, only the rows on screen, and the total from the host', async () => {
    renderWith(<LogView />, { client, stores: createStores('Log') });
    await waitFor(() => expect(within(rows()[0]!).getByText('step 2999')).toBeTruthy());
    expect(screen.getByText('3,000 events')).toBeTruthy();
    expect(rows().length).toBeLessThan(60);
    expect(rows()[0]!.getAttribute('aria-setsize')).toBe(String(N));
    expect(queries()).toEqual([{ order: 'desc', offset: 0, limit: 200 }]);
  });

  it('opens an event to its raw payload', async () => {
    renderWith(<LogView />, { client, stores: createStores('Log') });
    await waitFor(() => expect(screen.getByText('step 2998')).toBeTruthy());
    fireEvent.click(screen.getByText('step 2998'));
    const dialog = screen.getByRole('dialog');
    const raw = within(dialog).getByLabelText('Raw payload');
    expect(JSON.parse(raw.textContent)).toEqual({ n: 2998, status: 'DOWNLOADING', meta: [{ key: 'download', value: '98%' }] });
    expect(raw.textContent).toContain('\n  "n": 2998');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('filters by state and source at once, by device after a pause in typing, and flips the order', async () => {
    renderWith(<LogView />, { client, stores: createStores('Log') });
    await waitFor(() => expect(screen.getByText('step 2999')).toBeTruthy());
    fireEvent.click(within(screen.getByRole('group', { name: 'State' })).getByLabelText('failed'));
    await waitFor(() => expect(screen.getByText('750 events')).toBeTruthy());
    expect(queries().at(-1)).toEqual({ state: ['failed'], order: 'desc', offset: 0, limit: 200 });
    fireEvent.click(within(screen.getByRole('group', { name: 'Source' })).getByLabelText('CarOTA'));
    await waitFor(() => expect(screen.getByText('150 events')).toBeTruthy());
    fireEvent.change(screen.getByLabelText('Device'), { target: { value: 'DEV-3' } });
    expect(queries().some((q) => 'device' in q)).toBe(false);
    await waitFor(() => expect(queries().at(-1)).toMatchObject({ device: 'DEV-3' }));
    await waitFor(() => expect(within(rows()[0]!).getByText('step 2987')).toBeTruthy());
    expect(queries().at(-1)).toEqual({ source: ['carota'], state: ['failed'], device: 'DEV-3', order: 'desc', offset: 0, limit: 200 });
    // All 150 came in one page: oldest first needs no query, the same events keep their places.
    const asked = queries().length;
    fireEvent.change(screen.getByLabelText('Order'), { target: { value: 'asc' } });
    await waitFor(() => expect(within(rows()[0]!).getByText('step 7')).toBeTruthy());
    expect(queries()).toHaveLength(asked);
    fireEvent.change(screen.getByLabelText('Search'), { target: { value: 'step 10' } });
    await waitFor(() => expect(queries().at(-1)).toMatchObject({ text: 'step 10' }));
    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(screen.getByText('3,000 events')).toBeTruthy());
  });

  it('prepends live events without moving the rows being read, and says how many arrived', async () => {
    const stores = createStores('Log');
    const frames = manualFrames();
    bindClient(client, stores, frames.clock);
    renderWith(<LogView />, { client, stores });
    await waitFor(() => expect(screen.getByText('step 2999')).toBeTruthy());
    const scroller = list().parentElement!;
    scroller.scrollTop = 300;
    fireEvent.scroll(scroller);
    const fresh: UpgradeEvent[] = [makeEvent(N, { message: 'fresh one' }), makeEvent(N + 1, { message: 'fresh two' })];
    await journal.appendMany(fresh.map((event) => ({ kind: 'event' as const, event })));
    act(() => {
      for (const e of fresh) client.emit('event', e);
      frames.frame();
    });
    await waitFor(() => expect(screen.getByText('3,002 events')).toBeTruthy());
    expect(scroller.scrollTop).toBe(360);
    const pill = screen.getByRole('button', { name: '2 new events ↑' });
    fireEvent.click(pill);
    expect(screen.queryByRole('button', { name: /new event/ })).toBeNull();
  });

  it('imports a capture picked in the file input and says what came of it', async () => {
    const importing = createFakeClient({
      'log.query': () => ({ events: [], total: 0 }),
      'ingest.importPath': () => ({ accepted: 12, rejected: 1 }),
    });
    renderWith(<LogView />, { client: importing, stores: createStores('Log') });
    fireEvent.change(screen.getByLabelText('Capture protocol'), { target: { value: 'edgehog' } });
    fireEvent.change(screen.getByLabelText('Capture device'), { target: { value: 'edge-12' } });
    const input = screen.getByLabelText<HTMLInputElement>('Import capture');
    expect(input.type).toBe('file');
    expect(input.accept).toBe('.json,.jsonl,.bson');
    fireEvent.change(input, { target: { files: [new File([new Uint8Array(8)], 'ota.bson')] } });
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Imported 12 events from ota.bson; 1 payload refused (failed entries in the log say why).'));
    expect(importing.calls.at(-1)).toEqual({ name: 'ingest.importPath', req: { protocol: 'edgehog', device: 'edge-12', path: '/uploads/ota.bson' } });
  });
});
