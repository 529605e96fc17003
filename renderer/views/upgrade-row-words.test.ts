import { describe, expect, it } from 'vitest';
import { upgradeRow } from '../testing/fixtures';
import { endWords, statusWords, stepWords } from './upgrade-row-words';

describe('upgrade row words', () => {
  it('shows the dock sub_status beside the status, running or ended', () => {
    expect(statusWords(upgradeRow('DOCKW01', { status: 'in_progress', subStatus: 'DOWNLOADING' }))).toBe('In progress — Downloading');
    expect(statusWords(upgradeRow('DOCKW01', { status: 'failed', subStatus: 'DOWNLOAD_FAILED' }))).toBe('Failed — Download failed');
    expect(statusWords(upgradeRow('DOCKW01', { status: 'failed', subStatus: 'NEW_DJI_THING' }))).toBe('Failed — NEW_DJI_THING');
  });

  it('reads a dock that sends no sub_status from its step, never as still waiting for a reply', () => {
    expect(statusWords(upgradeRow('DOCKW02', { status: 'sent', subStatus: '', step: null }))).toBe('Sent to the dock — waiting for its reply');
    expect(statusWords(upgradeRow('DOCKW02', { status: 'in_progress', subStatus: '', step: 'download' }))).toBe('In progress — Downloading firmware');
    expect(statusWords(upgradeRow('DOCKW02', { status: 'in_progress', subStatus: '', step: 'upgrade' }))).toBe('In progress — Upgrading firmware');
    expect(statusWords(upgradeRow('DOCKW02', { status: 'rejected', subStatus: '' }))).toBe('Rejected by the dock');
  });

  it('says plainly when the dock said ok but the device never showed the new version', () => {
    const row = upgradeRow('DOCKW06', { status: 'not_verified', reason: 'the dock said ok, but the device did not report firmware_version 10.01.1700 within 600 s', targetVersion: '10.01.1700' });
    expect(statusWords(row)).toBe('Not verified');
    expect(endWords(row)).toBe('Not verified: the dock said ok, but the device did not report firmware_version 10.01.1700 within 600 s');
    expect(stepWords(upgradeRow('DOCKW06', { status: 'verifying', targetVersion: '10.01.1700' }))).toBe('Waiting for the device to report 10.01.1700');
    expect(endWords(upgradeRow('DOCKW06', { status: 'ok', targetVersion: '10.01.1700' }))).toBe('Upgraded to 10.01.1700; the device reports the new version');
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
