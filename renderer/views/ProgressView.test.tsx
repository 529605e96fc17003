// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { Profiler } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bindClient } from '../store/bind-client';
import { createStores } from '../store/stores';
import { createFakeClient } from '../testing/fake-client';
import { T0, upgradeRow } from '../testing/fixtures';
import { manualFrames } from '../testing/manual-frames';
import { renderWith } from '../testing/render';
import { ProgressView, ROW_HEIGHT, UpgradeRow } from './ProgressView';

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
    // Rows are measured as they mount: here each as tall as the first guess.
    vi.spyOn(HTMLElement.prototype, 'offsetHeight', 'get').mockReturnValue(ROW_HEIGHT);
  });
  afterEach(() => vi.restoreAllMocks());

  it('renders only the rows on screen of a 200-device batch, each bar named by its SN, the batch counted by device', () => {
    const stores = createStores('Progress');
    stores.upgrades.getState().replace(Array.from({ length: 200 }, (_, i) => upgradeRow(`DK${String(i).padStart(4, '0')}`, { percent: i % 100 })));
    renderWith(<ProgressView />, { stores });
    const items = within(screen.getByRole('list', { name: 'Upgrades' })).getAllByRole('listitem');
    expect(items.length).toBeGreaterThan(0);
    expect(items.length).toBeLessThan(40);
    // The batch header, then its 200 rows.
    expect(items[0]!.getAttribute('aria-setsize')).toBe('201');
    const bar = screen.getByRole('progressbar', { name: 'DK0003 upgrade progress' });
    expect(bar.getAttribute('aria-valuenow')).toBe('3');
    expect(bar.getAttribute('aria-valuetext')).toBe('3% — Downloading firmware');
    expect(screen.getByRole('list', { name: /^Devices by state, batch of / }).textContent).toBe('200 in progress');
  });

  it('says how a row ended with the next step, and offers Retry; Cancel for a queued row', async () => {
    const stores = connected(createStores('Progress'));
    stores.upgrades
      .getState()
      .replace([
        upgradeRow('DOCKQ01', { status: 'failed', subStatus: 'DOWNLOAD_FAILED', reason: '312003: upgrade failed, try again', code: 312003, endedAt: '2024-06-03T08:01:05.000Z', speed: 2_000_000 }),
        upgradeRow('DOCKQ02', { status: 'queued', step: null, percent: 0, subStatus: '' }),
        upgradeRow('DOCKQ03', { status: 'ok', percent: 100, verified: true, endedAt: '2024-06-03T08:04:00.000Z' }),
      ]);
    const client = createFakeClient({
      'upgrade.retry': (req) => upgradeRow('DOCKQ01', { key: req.key, status: 'queued' }),
      'upgrade.cancel': (req) => upgradeRow('DOCKQ02', { key: req.key, status: 'canceled' }),
    });
    renderWith(<ProgressView />, { stores, client });
    expect(screen.getByText('Failed — Download failed')).toBeTruthy();
    expect(screen.getByText('Failed: 312003 — the file arrived damaged: add it again and retry')).toBeTruthy();
    expect(screen.getByText('Upgraded to 10.01.0500; the device reports the new version')).toBeTruthy();
    expect(screen.getByText('Not sent yet')).toBeTruthy();
    // An ended row: how long it took and its average, no live speed or ETA.
    expect(screen.getByText('Took 1 min 05 s')).toBeTruthy();
    expect(screen.getByText('average 2.00 MB/s')).toBeTruthy();
    expect(screen.queryByText(/^ETA/)).toBeNull();
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

  it('says when a running device has been silent, blanking its speed and ETA, while Elapsed ticks', () => {
    const stores = connected(createStores('Progress'));
    const started = Date.parse('2024-06-03T08:00:00.000Z');
    stores.upgrades.getState().replace([upgradeRow('DOCKS01', { lastReportAt: '2024-06-03T08:00:05.000Z' })]);
    act(() => stores.clock.setState({ hostNow: started + 10_000 }));
    renderWith(<ProgressView />, { stores });
    expect(screen.getByText('Elapsed 10 s')).toBeTruthy();
    expect(screen.getByText('ETA 47 s')).toBeTruthy();
    act(() => stores.clock.setState({ hostNow: started + 50_000 }));
    expect(screen.getByText('No report for 45 s')).toBeTruthy();
    expect(screen.getByText('ETA —')).toBeTruthy();
    expect(screen.getByText('speed —')).toBeTruthy();
    expect(screen.getByText('Elapsed 50 s')).toBeTruthy();
  });

  it('shows why a device is held, and sends it anyway only after an explicit confirmation', async () => {
    const stores = connected(createStores('Progress'));
    const gates = [{ gate: 'dock-idle' as const, status: 'fail' as const, words: 'dock idle', code: 312015, detail: 'mode_code 4 (working)' }];
    stores.upgrades.getState().replace([upgradeRow('DOCKH01', { status: 'held', step: null, percent: 0, reason: 'held: dock idle (mode_code 4 (working); a dock answers 312015)', gates })]);
    const client = createFakeClient({ 'upgrade.release': (req) => upgradeRow('DOCKH01', { key: req.key, status: 'queued' }) });
    renderWith(<ProgressView />, { stores, client });
    expect(screen.getByText('Held back: dock idle (mode_code 4 (working); a dock answers 312015)')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Release DOCKH01' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Cancel DOCKH01' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Send anyway DOCKH01' }));
    const dialog = screen.getByRole('dialog', { name: 'Send DOCKH01 anyway?' });
    expect(within(dialog).getByRole('list', { name: 'Failed checks of DOCKH01' }).textContent).toBe('dock idle: mode_code 4 (working); a dock answers 312015');
    expect(client.calls).toEqual([]);
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Send anyway' })));
    expect(client.calls).toEqual([{ name: 'upgrade.release', req: { key: 'tid-x:DOCKH01', force: true } }]);
  });

  it('turns every action off, saying why, while the broker or the host is away', () => {
    const stores = connected(createStores('Progress'));
    stores.upgrades.getState().replace([upgradeRow('DOCKB01', { status: 'failed', code: 312004 })]);
    const client = createFakeClient();
    renderWith(<ProgressView />, { stores, client });
    const retry = () => screen.getByRole<HTMLButtonElement>('button', { name: 'Retry DOCKB01' });
    expect(retry().disabled).toBe(false);
    act(() => stores.connection.getState().setStatus({ state: 'reconnecting', url: 'mqtt://h', clientId: 'c', since: T0 }));
    expect(retry().disabled).toBe(true);
    const notice = screen.getByText(/^The broker is reconnecting\./);
    expect(retry().getAttribute('aria-describedby')).toBe(notice.id);
    act(() => {
      stores.connection.getState().setStatus({ state: 'connected', url: 'mqtt://h', clientId: 'c', since: T0 });
      stores.connection.getState().setHostLink('lost');
    });
    expect(retry().disabled).toBe(true);
    expect(screen.getByText(/^The Dockside host is not reachable\./)).toBeTruthy();
    fireEvent.click(retry());
    expect(client.calls).toEqual([]);
  });

  it('opens with the newest batch, earlier ended batches folded, and says how the current one ended', () => {
    const stores = createStores('Progress');
    stores.upgrades
      .getState()
      .replace([
        upgradeRow('DOCKO01', { key: 'b1:DOCKO01', batchId: 'b1', status: 'ok', startedAt: T0 }),
        upgradeRow('DOCKN01', { key: 'b2:DOCKN01', batchId: 'b2', status: 'ok', startedAt: '2024-06-03T09:00:00.000Z' }),
        upgradeRow('DOCKN02', { key: 'b2:DOCKN02', batchId: 'b2', status: 'timeout', startedAt: '2024-06-03T09:00:00.000Z' }),
      ]);
    renderWith(<ProgressView />, { stores });
    expect(screen.getByText(/^Batch finished with problems/).parentElement!.textContent).toBe('Batch finished with problems: 2 devices — 1 upgraded and verified, 1 timed out.');
    expect(screen.queryByRole('progressbar', { name: 'DOCKO01 upgrade progress' })).toBeNull();
    const headings = screen.getAllByRole('heading', { level: 3 }).map((h) => h.textContent);
    expect(headings[0]).toMatch(/^Current batch · started .* · 2 devices$/);
    expect(headings[1]).toMatch(/^Batch · started .* · 1 device$/);
    fireEvent.click(screen.getByRole('button', { name: 'Show 1 device' }));
    expect(screen.getByRole('progressbar', { name: 'DOCKO01 upgrade progress' })).toBeTruthy();
  });
});

function connected(stores: ReturnType<typeof createStores>) {
  stores.connection.getState().setHostLink('open');
  stores.connection.getState().setStatus({ state: 'connected', url: 'mqtt://h', clientId: 'c', since: T0 });
  return stores;
}
