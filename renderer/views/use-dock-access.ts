// The dock-access view from the core: loaded when the host link opens, kept current by its stream.
import { useCallback, useEffect, useState } from 'react';
import type { CallName, CallRequest, DockAccessView } from '../../preload/api';
import { useApi } from '../api-context';
import { useSlice } from '../store/stores';

type DockAccessCall = Extract<CallName, `dockAccess.${string}`>;

export function useDockAccess() {
  const api = useApi();
  const link = useSlice('connection', (s) => s.hostLink);
  const [view, setView] = useState<DockAccessView | null>(null);

  useEffect(() => api.on('dockAccess', setView), [api]);
  useEffect(() => {
    if (link !== 'open') return;
    api.call('dockAccess.get', {}).then(setView, () => undefined);
  }, [api, link]);

  /** Runs a dockAccess call; the view it answers replaces the shown one. Rejects with the core's reason. */
  const change = useCallback(
    async <N extends DockAccessCall>(name: N, req: CallRequest<N>) => {
      const next = (await api.call(name, req)) as DockAccessView;
      setView(next);
    },
    [api],
  );
  return { view, change };
}
