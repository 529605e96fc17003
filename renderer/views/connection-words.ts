import type { ConnectionStatus } from '../../preload/api';
import type { Tone } from '../components/StateBadge';

export const CONNECTION_WORDS: Record<ConnectionStatus['state'], { words: string; tone: Tone }> = {
  disconnected: { words: 'Disconnected', tone: 'idle' },
  connecting: { words: 'Connecting…', tone: 'busy' },
  connected: { words: 'Connected', tone: 'ok' },
  reconnecting: { words: 'Reconnecting…', tone: 'warn' },
  error: { words: 'Connection error', tone: 'bad' },
};
