// @vitest-environment jsdom
// The window says when the host's journal cannot write, whether the page learns it on (re)connecting or
// from a push, and stops saying it once writes land again.
import { act, cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { JournalHealth } from '../../preload/api';
import { JournalBanner } from './JournalBanner';
import { bindClient } from '../store/bind-client';
import { createStores } from '../store/stores';
import { createFakeClient } from '../testing/fake-client';
import { manualFrames } from '../testing/manual-frames';
import { renderWith } from '../testing/render';

const settle = () => act(() => new Promise((r) => setTimeout(r, 0)));
const DISK_FULL: JournalHealth = { state: 'failing', reason: 'ENOSPC: no space left on device, write', since: '2026-12-05T10:00:00.000Z' };

function hostWithJournal(health: () => JournalHealth) {
  return createFakeClient({
    'app.info': () => ({ name: 'Dockside', version: '0.1.0', apiVersion: 1, host: 'web' as const, dataDir: '/data' }),
    'journal.health': health,
    'connection.get': () => ({ state: 'connected' as const, url: 'mqtt://10.0.0.2:1883', clientId: 'c', since: '2026-12-05T09:00:00.000Z' }),
    'devices.list': () => [],
    'firmware.list': () => [],
    'upgrade.list': () => [],
    'vehicles.list': () => ({ vehicles: [], campaigns: [] }),
  });
}

afterEach(cleanup);

describe('journal failing banner', () => {
  it('shows the reason when the page opens on a host whose journal already fails', async () => {
    const client = hostWithJournal(() => DISK_FULL);
    const stores = createStores('Progress');
    bindClient(client, stores, manualFrames().clock);
    renderWith(<JournalBanner />, { client, stores });
    await settle();
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Journal failing: ENOSPC: no space left on device, write.');
    expect(alert.textContent).toContain('not being saved to disk');
  });

  it('appears with a push and goes when the journal writes again', async () => {
    const client = hostWithJournal(() => ({ state: 'ok' }));
    const stores = createStores('Progress');
    const frames = manualFrames();
    bindClient(client, stores, frames.clock);
    renderWith(<JournalBanner />, { client, stores });
    await settle();
    expect(screen.queryByRole('alert')).toBeNull();
    act(() => {
      client.emit('journal', DISK_FULL);
      frames.frame();
    });
    expect(screen.getByRole('alert').textContent).toContain('Journal failing: ENOSPC');
    act(() => {
      client.emit('journal', { state: 'ok' });
      frames.frame();
    });
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
