// Keeps the laptop awake while any upgrade is running: a dock mid-download must not lose its file
// server to a suspended laptop. Watches the 'upgrade' stream; Electron's powerSaveBlocker comes in.
import type { DeviceUpgrade } from '../../preload/api';
import { DJI_TERMINAL_STATUSES } from '../../preload/dji-codes';
import type { ApiBackend } from '../host/backend';
import type { PowerSaveBlockerLike } from './electron-surface';

export function keepAwakeWhileUpgrading(backend: Pick<ApiBackend, 'subscribe'>, blocker: PowerSaveBlockerLike): () => void {
  const running = new Set<string>();
  let blockId: number | undefined;
  const update = () => {
    if (running.size > 0 && blockId === undefined) blockId = blocker.start('prevent-app-suspension');
    if (running.size === 0 && blockId !== undefined) {
      blocker.stop(blockId);
      blockId = undefined;
    }
  };
  const unsubscribe = backend.subscribe((stream, payload) => {
    if (stream !== 'upgrade') return;
    const row = payload as DeviceUpgrade;
    if (DJI_TERMINAL_STATUSES.has(row.status)) running.delete(row.key);
    else running.add(row.key);
    update();
  });
  return () => {
    unsubscribe();
    running.clear();
    update();
  };
}
