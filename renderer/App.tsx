// The shell: a header with the broker and host state, the views as links, the current view.
import { useEffect, type ReactNode } from 'react';
import type { HostLink } from './api-error';
import { BatchWatcher } from './components/BatchWatcher';
import { JournalBanner } from './components/JournalBanner';
import { StateBadge, type Tone } from './components/StateBadge';
import { ThemePicker } from './components/ThemePicker';
import { useSlice, useStores } from './store/stores';
import { VIEWS, type ViewName } from './store/ui-store';
import { ConnectionView } from './views/ConnectionView';
import { CONNECTION_WORDS } from './views/connection-words';
import { DevicesView } from './views/DevicesView';
import { FirmwareView } from './views/FirmwareView';
import { LogView } from './views/LogView';
import { ProgressView } from './views/ProgressView';
import { UpgradeView } from './views/UpgradeView';
import { VehiclesView } from './views/VehiclesView';

const VIEW_CONTENT: Record<ViewName, () => ReactNode> = {
  Connection: () => <ConnectionView />,
  Devices: () => <DevicesView />,
  Firmware: () => <FirmwareView />,
  Upgrade: () => <UpgradeView />,
  Progress: () => <ProgressView />,
  Vehicles: () => <VehiclesView />,
  Log: () => <LogView />,
};

export const hashOf = (view: ViewName) => `#/${view.toLowerCase()}`;

export function viewFromHash(hash: string): ViewName | undefined {
  return VIEWS.find((v) => hashOf(v) === hash.toLowerCase());
}

function HostLinkBanner() {
  const link = useSlice('connection', (s) => s.hostLink);
  if (link !== 'lost') return null;
  return (
    <div className="banner banner-bad" role="alert">
      <p>
        <strong>Host connection lost.</strong> Reconnecting to the Dockside host… Progress shown here is paused until it is back; upgrades already sent carry on.
      </p>
    </div>
  );
}

const HOST_WORDS: Record<HostLink, { words: string; tone: Tone }> = {
  connecting: { words: 'Connecting…', tone: 'busy' },
  open: { words: 'Connected', tone: 'ok' },
  lost: { words: 'Connection lost', tone: 'bad' },
};

function HostBadge() {
  const link = useSlice('connection', (s) => s.hostLink);
  return <StateBadge tone={HOST_WORDS[link].tone}>Host: {HOST_WORDS[link].words}</StateBadge>;
}

/** What the host last said about its broker means nothing while the host itself is away. */
function BrokerBadge() {
  const status = useSlice('connection', (s) => s.status);
  const link = useSlice('connection', (s) => s.hostLink);
  if (link === 'lost') return <StateBadge tone="idle">Broker: unknown (host away)</StateBadge>;
  if (!status) return <StateBadge tone="idle">Broker: unknown</StateBadge>;
  const words = CONNECTION_WORDS[status.state];
  return <StateBadge tone={words.tone}>Broker: {words.words}</StateBadge>;
}

export function App() {
  const stores = useStores();
  const view = useSlice('ui', (s) => s.view);
  const running = useSlice('upgrades', (s) => s.order.filter((k) => ['sent', 'in_progress', 'queued', 'paused'].includes(s.byKey[k]?.status ?? '')).length);

  // The address bar follows the view, and back/forward and links move between views.
  useEffect(() => {
    const onHash = () => {
      const next = viewFromHash(window.location.hash);
      if (next) stores.ui.getState().setView(next);
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [stores]);
  useEffect(() => {
    if (window.location.hash !== hashOf(view)) window.history.replaceState(null, '', hashOf(view));
  }, [view]);
  useEffect(() => {
    const timer = setInterval(stores.clock.getState().tick, 1000);
    return () => clearInterval(timer);
  }, [stores]);

  return (
    <div id="app-shell" className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <h1 className="brand">Dockside</h1>
        <nav aria-label="Views" className="tabs">
          {VIEWS.map((v) => (
            <a key={v} href={hashOf(v)} className={v === view ? 'tab active' : 'tab'} aria-current={v === view ? 'page' : undefined}>
              {v}
              {v === 'Progress' && running > 0 ? (
                <span className="count" aria-hidden="true">
                  {running}
                </span>
              ) : null}
            </a>
          ))}
        </nav>
        <div className="topbar-state">
          <HostBadge />
          <BrokerBadge />
          <ThemePicker />
        </div>
      </header>
      <HostLinkBanner />
      <JournalBanner />
      <BatchWatcher />
      <main id="main" tabIndex={-1}>
        {VIEW_CONTENT[view]()}
      </main>
    </div>
  );
}
