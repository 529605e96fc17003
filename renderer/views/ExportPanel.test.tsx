// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExportProgress } from '../../preload/api';
import { bindClient } from '../store/bind-client';
import { createStores } from '../store/stores';
import { createFakeClient } from '../testing/fake-client';
import { manualFrames } from '../testing/manual-frames';
import { renderWith } from '../testing/render';
import { ExportPanel, exportRequest } from './ExportPanel';

afterEach(cleanup);

const FILE = 'dockside-2025-03-04T10-00-00Z-0a1b2c3d.html';

function setup(hostKind: 'web' | 'electron' = 'web') {
  let next = 0;
  const fake = createFakeClient({ 'export.start': () => ({ exportId: `exp-${++next}` }) });
  const client = { ...fake, hostKind };
  const stores = createStores('Log');
  const frames = manualFrames();
  bindClient(client, stores, frames.clock);
  renderWith(<ExportPanel />, { client, stores });
  const push = (p: ExportProgress) =>
    act(() => {
      fake.emit('exportProgress', p);
      frames.frame();
    });
  return { fake, push };
}

describe('ExportPanel', () => {
  it('sends the technician fields with the report, and shows its progress, then the download link', async () => {
    const { fake, push } = setup();
    fireEvent.change(screen.getByLabelText('Site'), { target: { value: 'Depot North, bay 4' } });
    fireEvent.change(screen.getByLabelText('Technician'), { target: { value: ' R. Okafor ' } });
    fireEvent.change(screen.getByLabelText('Customer'), { target: { value: 'Harbour Logistics' } });
    fireEvent.change(screen.getByLabelText('Notes'), { target: { value: 'two docks on battery' } });
    fireEvent.click(screen.getByRole('button', { name: 'Export report' }));
    await waitFor(() => expect(screen.getByRole('progressbar', { name: 'Report export progress' })).toBeTruthy());
    expect(fake.calls.filter((c) => c.name === 'export.start')).toEqual([
      {
        name: 'export.start',
        req: {
          format: 'html',
          timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
          site: 'Depot North, bay 4',
          technician: 'R. Okafor',
          customer: 'Harbour Logistics',
          notes: 'two docks on battery',
        },
      },
    ]);
    push({ exportId: 'exp-1', format: 'html', done: 400, total: 1000 });
    const bar = screen.getByRole('progressbar', { name: 'Report export progress' });
    expect(bar.getAttribute('aria-valuenow')).toBe('40');
    expect(bar.getAttribute('aria-valuetext')).toBe('400 of 1000 events');
    push({ exportId: 'exp-1', format: 'html', done: 1000, total: 1000, fileName: FILE, path: `/data/exports/${FILE}`, url: `/api/exports/${FILE}` });
    expect(bar.getAttribute('aria-valuenow')).toBe('100');
    const link = screen.getByRole('link', { name: `Download ${FILE}` });
    expect(link.getAttribute('href')).toBe(`/api/exports/${FILE}`);
    expect(link.getAttribute('download')).toBe(FILE);
  });

  it('runs CSV and JSONL side by side, newest on top, and keeps an ended export ended', async () => {
    const { fake, push } = setup();
    fireEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    fireEvent.click(screen.getByRole('button', { name: 'Export JSONL' }));
    await waitFor(() => expect(screen.getAllByRole('progressbar')).toHaveLength(2));
    expect(fake.calls.filter((c) => c.name === 'export.start').map((c) => c.req)).toEqual([{ format: 'csv' }, { format: 'jsonl' }]);
    expect(
      within(screen.getByRole('list', { name: 'Exports' }))
        .getAllByRole('listitem')
        .map((li) => li.firstChild!.textContent),
    ).toEqual(['JSONL export', 'CSV export']);
    push({ exportId: 'exp-1', format: 'csv', done: 5, total: 5, error: 'export failed: ENOSPC: no space left on device' });
    push({ exportId: 'exp-1', format: 'csv', done: 3, total: 5 });
    expect(screen.getByRole('alert').textContent).toBe('export failed: ENOSPC: no space left on device');
  });

  it('says where the file is on disk in the desktop app', async () => {
    const { push } = setup('electron');
    fireEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    await waitFor(() => expect(screen.getByRole('progressbar')).toBeTruthy());
    push({ exportId: 'exp-1', format: 'csv', done: 0, total: 0, fileName: 'x.csv', path: '/home/tech/.dockside/exports/x.csv', url: '/api/exports/x.csv' });
    expect(screen.queryByRole('link')).toBeNull();
    expect(screen.getByText('/home/tech/.dockside/exports/x.csv')).toBeTruthy();
  });

  it('shows an export that could not start', async () => {
    const client = createFakeClient({});
    renderWith(<ExportPanel />, { client });
    fireEvent.click(screen.getByRole('button', { name: 'Export JSONL' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('export.start is not answered in this test'));
  });
});

describe('exportRequest', () => {
  it('leaves out empty fields and reads "since" as local time', () => {
    expect(exportRequest('csv', { site: '  ', technician: '', customer: '', notes: '', since: '', device: '' })).toEqual({ format: 'csv' });
    const r = exportRequest('jsonl', { site: '', technician: '', customer: '', notes: '', since: '2025-03-04T10:00', device: ' VIN9 ' });
    expect(r).toEqual({ format: 'jsonl', since: new Date(2025, 2, 4, 10, 0).toISOString(), device: 'VIN9' });
  });
});
