// Words and tones for the normalised phases, states and sources: what the Vehicles and Log views print
// next to each colour, so a state never rests on colour alone.
import type { Phase, Source, State } from '../../preload/api';
import type { Tone } from '../components/StateBadge';

export const PHASE_WORDS: Readonly<Record<Phase, string>> = {
  queued: 'Queued',
  consent: 'Consent',
  download: 'Download',
  verify: 'Verify',
  install: 'Install',
  activate: 'Activate',
  reboot: 'Reboot',
  done: 'Done',
};

export const STATE_WORDS: Readonly<Record<State, string>> = {
  pending: 'pending',
  running: 'running',
  succeeded: 'succeeded',
  failed: 'failed',
  canceled: 'canceled',
  paused: 'paused',
};

export const STATE_TONE: Readonly<Record<State, Tone>> = {
  pending: 'idle',
  running: 'busy',
  succeeded: 'ok',
  failed: 'bad',
  canceled: 'warn',
  paused: 'warn',
};

export const SOURCE_WORDS: Readonly<Record<Source, string>> = {
  dji: 'DJI',
  aktualizr: 'aktualizr',
  carota: 'CarOTA',
  edgehog: 'Edgehog',
  oem: 'OEM',
};

/** A campaign id as a short label: long UUIDs and URNs keep their distinctive tail. */
export function shortCampaign(campaign: string, max = 18): string {
  if (campaign === '') return 'no campaign';
  return campaign.length <= max ? campaign : `…${campaign.slice(-(max - 1))}`;
}
