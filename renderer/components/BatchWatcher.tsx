// Keeps the tab title honest about batches and, in a browser that allows it, raises a notification when
// a batch ends (the desktop app's main process notifies on its own). A batch end stays in the title until
// the technician has seen the Progress view with the page in front.
import { useEffect, useState } from 'react';
import type { BatchSummary } from '../../preload/api';
import { useApi } from '../api-context';
import { batchEndWords, tabTitle } from '../lib/batch-notice';
import { useSlice } from '../store/stores';

const RUNNING = new Set(['sent', 'in_progress', 'paused', 'verifying']);

function usePageVisible(): boolean {
  const [visible, setVisible] = useState(() => document.visibilityState === 'visible');
  useEffect(() => {
    const on = () => setVisible(document.visibilityState === 'visible');
    document.addEventListener('visibilitychange', on);
    return () => document.removeEventListener('visibilitychange', on);
  }, []);
  return visible;
}

function notify(batch: BatchSummary): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  const words = batchEndWords(batch);
  new Notification(`Dockside: ${words.title}`, { body: words.body, tag: `dockside-batch-${batch.batchId}` });
}

export function BatchWatcher() {
  const api = useApi();
  const view = useSlice('ui', (s) => s.view);
  const running = useSlice('upgrades', (s) => s.order.filter((k) => RUNNING.has(s.byKey[k]?.status ?? '')).length);
  const lastEnded = useSlice('upgrades', (s) => s.lastEnded);
  const visible = usePageVisible();
  const [unseen, setUnseen] = useState<BatchSummary | undefined>(undefined);

  useEffect(() => {
    if (!lastEnded) return;
    setUnseen(lastEnded);
    if (api.hostKind === 'web') notify(lastEnded);
  }, [lastEnded, api]);
  useEffect(() => {
    if (visible && view === 'Progress') setUnseen(undefined);
  }, [visible, view, lastEnded]);
  useEffect(() => {
    document.title = tabTitle(view, running, unseen);
  }, [view, running, unseen]);
  return null;
}
