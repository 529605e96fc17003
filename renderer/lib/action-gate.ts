// Whether a button may act now, and if not, why: a press is never kept for later. While the host is away
// nothing reaches it; while the broker is away nothing reaches a dock. Pure, so views and tests agree.
import type { ConnectionStatus } from '../../preload/api';
import type { HostLink } from '../api-error';

/** What an action needs: the host only (files, exports), or a dock through the broker too (upgrades). */
export type ActionNeeds = 'host' | 'broker';

const BROKER_WORDS: Readonly<Record<ConnectionStatus['state'], string>> = {
  disconnected: 'disconnected',
  connecting: 'still connecting',
  connected: 'connected',
  reconnecting: 'reconnecting',
  error: 'failing',
};

/** Undefined when the action may go; otherwise the reason, to show beside the disabled buttons. */
export function actionBlocked(link: HostLink, broker: ConnectionStatus | undefined, needs: ActionNeeds): string | undefined {
  if (link === 'lost') return 'The Dockside host is not reachable. Buttons are off until it is back; nothing is sent meanwhile.';
  if (link === 'connecting') return 'Connecting to the Dockside host…';
  if (needs === 'host') return undefined;
  if (!broker) return 'Waiting for the broker state…';
  if (broker.state !== 'connected') return `The broker is ${BROKER_WORDS[broker.state]}. Upgrade buttons are off until it is connected; nothing is sent meanwhile.`;
  return undefined;
}
