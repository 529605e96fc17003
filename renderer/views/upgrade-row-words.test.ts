import { describe, expect, it } from 'vitest';
import { upgradeRow } from '../testing/fixtures';
import { endWords, statusWords, stepWords } from './upgrade-row-words';

describe('upgrade row words', () => {
  it('shows the dock sub_status beside the status, running or ended', () => {
    expect(statusWords(upgradeRow('DOCKW01', { status: 'in_progress', subStatus: 'DOWNLOADING' }))).toBe('In progress — Downloading');
    expect(statusWords(upgradeRow('DOCKW01', { status: 'failed', subStatus: 'DOWNLOAD_FAILED' }))).toBe('Failed — Download failed');
    expect(statusWords(upgradeRow('DOCKW01', { status: 'failed', subStatus: 'NEW_DJI_THING' }))).toBe('Failed — NEW_DJI_THING');
  });

  it("drops the app's interim words once the upgrade ended", () => {
    expect(statusWords(upgradeRow('DOCKW02', { status: 'sent', subStatus: 'waiting for the dock to reply' }))).toBe('Sent to the dock — waiting for the dock to reply');
    expect(statusWords(upgradeRow('DOCKW02', { status: 'rejected', subStatus: 'waiting for the dock to reply' }))).toBe('Rejected by the dock');
  });

  it('explains the DJI code once, whether or not the reason already did', () => {
    expect(endWords(upgradeRow('DOCKW03', { status: 'rejected', code: 312015, reason: '312015: dock busy — retry when idle' }))).toBe('Rejected by the dock: 312015: dock busy — retry when idle');
    expect(endWords(upgradeRow('DOCKW03', { status: 'failed', code: 312004, reason: 'the download broke off' }))).toBe('Failed: the download broke off: 312004: upgrade failed, try again');
    expect(endWords(upgradeRow('DOCKW03', { status: 'failed', code: 312004 }))).toBe('Failed: 312004: upgrade failed, try again');
  });

  it('names the step, or why there is none', () => {
    expect(stepWords(upgradeRow('DOCKW05', { status: 'in_progress', step: 'download' }))).toBe('Downloading firmware');
    expect(stepWords(upgradeRow('DOCKW05', { status: 'queued', step: null }))).toBe('Not sent yet');
    expect(stepWords(upgradeRow('DOCKW05', { status: 'sent', step: null }))).toBe('Waiting for the first progress report');
    expect(stepWords(upgradeRow('DOCKW05', { status: 'rejected', step: null }))).toBe('Never started');
  });

  it('says nothing while the upgrade runs', () => {
    expect(endWords(upgradeRow('DOCKW04', { status: 'in_progress' }))).toBeUndefined();
  });
});
