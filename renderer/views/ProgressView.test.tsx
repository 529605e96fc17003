// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { Profiler } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bindClient } from '../store/bind-client';
import { createStores } from '../store/stores';
import { createFakeClient } from '../testing/fake-client';
import { upgradeRow } from '../testing/fixtures';
import { manualFrames } from '../testing/manual-frames';
import { renderWith } from '../testing/render';
import { ProgressView, UpgradeRow } from './ProgressView';

afterEach(cleanup);

describe('a progress tick', () => {
  it('waits for the next frame, then re-renders only the row it is about', () => {
    const stores = createStores('Progress');
    stores.upgrades.getState().replace(['DOCKP01', 'DOCKP02', 'DOCKP03'].map((sn) => upgradeRow(sn)));
    const frames = manualFrames();
    const client = createFakeClient({}, 'connecting');
    bindClient(client, stores, frames.clock);
    const renders: Record<string, number> = {};
    const keys = stores.upgrades.getState().order;
    renderWith(
      <>
        {keys.map((k) => (
          <Profiler key={k} id={k} onRender={(id) => (renders[id] = (renders[id] ?? 0) + 1)}>
            <UpgradeRow rowKey={k} />
          </Profiler>
        ))}
      </>,
      { client, stores },
    );
    expect(renders).toEqual({ 'tid-x:DOCKP01': 1, 'tid-x:DOCKP02': 1, 'tid-x:DOCKP03': 1 });

    act(() => {
      client.emit('upgrade', upgradeRow('DOCKP02', { percent: 40, updatedAt: '2024-06-03T08:00:06.000Z' }));
      client.emit('upgrade', upgradeRow('DOCKP02', { percent: 45, updatedAt: '2024-06-03T08:00:07.000Z' }));
    });
    expect(renders).toEqual({ 'tid-x:DOCKP01': 1, 'tid-x:DOCKP02': 1, 'tid-x:DOCKP03': 1 });

    act(() => frames.frame());
    expect(renders).toEqual({ 'tid-x:DOCKP01': 1, 'tid-x:DOCKP02': 2, 'tid-x:DOCKP03': 1 });
    expect(screen.getByRole('progressbar', { name: 'DOCKP02 upgrade progress' }).getAttribute('aria-valuenow')).toBe('45');
  });
});

describe('ProgressView', () => {
  // jsdom lays nothing out; the virtualiser needs its viewport's size, here a 1024×800 window.
  beforeEach(() => {
    vi.spyOn(Element.prototype, 'clientHeight', 'get').mockReturnValue(800);
    vi.spyOn(Element.prototype, 'clientWidth', 'get').mockReturnValue(1024);
  });
  afterEach(() => vi.restoreAllMocks());

  it('renders only the rows on screen of a 200-device batch, each bar named by its SN', () => {
    const stores = createStores('Progress');
    stores.upgrades.getState().replace(Array.from({ length: 200 }, (_, i) => upgradeRow(`DK${String(i).padStart(4, '0')}`, { percent: i % 100 })));
    renderWith(<ProgressView />, { stores });
    const items = within(screen.getByRole('list', { name: 'Upgrades' })).getAllByRole('listitem');
    expect(items.length).toBeGreaterThan(0);
    expect(items.length).toBeLessThan(40);
    expect(items[0]!.getAttribute('aria-setsize')).toBe('200');
    const bar = screen.getByRole('progressbar', { name: 'DK0003 upgrade progress' });
    expect(bar.getAttribute('aria-valuenow')).toBe('3');
    expect(bar.getAttribute('aria-valuetext')).toBe('3% — Downloading firmware');
    expect(screen.getByRole('list', { name: 'Totals by state' }).textContent).toBe('200 in progress');
  });

  it('says how a row ended, with the DJI code explained, and offers Retry; Cancel for a queued row', async () => {
    const stores = createStores('Progress');
    stores.upgrades.getState().replace([
      upgradeRow('DOCKQ01', { status: 'failed', subStatus: 'DOWNLOAD_FAILED', reason: 'the dock could not download the file', code: 312015, endedAt: '2024-06-03T08:01:05.000Z' }),
      upgradeRow('DOCKQ02', { status: 'queued', step: null, percent: 0, subStatus: '' }),
      upgradeRow('DOCKQ03', { status: 'ok', percent: 100, verified: true, endedAt: '2024-06-03T08:04:00.000Z' }),
    ]);
    const client = createFakeClient({
      'upgrade.retry': (req) => upgradeRow('DOCKQ01', { key: req.key, status: 'queued' }),
      'upgrade.cancel': (req) => upgradeRow('DOCKQ02', { key: req.key, status: 'canceled' }),
    });
    renderWith(<ProgressView />, { stores, client });
    expect(screen.getByText('Failed — Download failed')).toBeTruthy();
    expect(screen.getByText('Failed: the dock could not download the file: 312015: dock busy — retry when idle')).toBeTruthy();
    expect(screen.getByText('Upgraded to 10.01.0500; the device reports the new version')).toBeTruthy();
    expect(screen.getByText('Not sent yet')).toBeTruthy();
    expect(screen.getAllByText('Elapsed 1 min 05 s')).toHaveLength(1);
    expect(screen.queryByRole('button', { name: 'Cancel DOCKQ01' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Retry DOCKQ02' })).toBeNull();
    expect(screen.queryByRole('button', { name: /DOCKQ03/ })).toBeNull();

    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Retry DOCKQ01' })));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Cancel DOCKQ02' })));
    expect(client.calls).toEqual([
      { name: 'upgrade.retry', req: { key: 'tid-x:DOCKQ01' } },
      { name: 'upgrade.cancel', req: { key: 'tid-x:DOCKQ02' } },
    ]);
  });

  it('shows a banner when a batch ends, until dismissed', () => {
    const stores = createStores('Progress');
    stores.upgrades.getState().replace([upgradeRow('DOCKR01', { status: 'ok', percent: 100 })]);
    renderWith(<ProgressView />, { stores });
    expect(screen.queryByRole('status')).toBeNull();
    act(() => stores.upgrades.getState().applyBatches([{ batchId: 'b9', total: 3, counts: { ok: 2, timeout: 1 }, endedAt: '2024-06-03T08:09:00.000Z' }]));
    expect(screen.getByRole('status').textContent).toContain('Batch finished with problems: 3 devices — 2 upgraded and verified, 1 timed out.');
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('status')).toBeNull();
  });
});
