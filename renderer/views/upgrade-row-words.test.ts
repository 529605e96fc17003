import { describe, expect, it } from 'vitest';
import { upgradeRow } from '../testing/fixtures';
import { endWords, heldWords, rowTiming, statusWords, stepWords } from './upgrade-row-words';

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
    expect(endWords(row)).toBe(
      'Not verified: the dock said ok, but the device did not report firmware_version 10.01.1700 within 600 s — check the version the device reports in Devices; retry if it still runs the old one',
    );
    expect(stepWords(upgradeRow('DOCKW06', { status: 'verifying', targetVersion: '10.01.1700' }))).toBe('Waiting for the device to report 10.01.1700');
    expect(endWords(upgradeRow('DOCKW06', { status: 'ok', targetVersion: '10.01.1700' }))).toBe('Upgraded to 10.01.1700; the device reports the new version');
  });

  it('says the code once, with what happened and the next step in plain words', () => {
    expect(endWords(upgradeRow('DOCKW03', { status: 'rejected', code: 312015, reason: '312015: dock busy — retry when idle' }))).toBe(
      'Rejected by the dock: 312015 — the dock is busy: wait until it is idle (no flight task, no debugging), then retry',
    );
    expect(endWords(upgradeRow('DOCKW03', { status: 'failed', code: 312003, reason: '312003: upgrade failed, try again' }))).toBe('Failed: 312003 — the file arrived damaged: add it again and retry');
    expect(endWords(upgradeRow('DOCKW03', { status: 'failed', code: 312999 }))).toBe("Failed: 312999: DJI error code not in Dockside's table");
    expect(endWords(upgradeRow('DOCKW03', { status: 'timeout', reason: 'no word from the dock for 120 s' }))).toBe(
      'Timed out: no word from the dock for 120 s — check that the dock is online and can reach this laptop, then retry',
    );
  });

  it('says why a held device waits: a gate, the rollout, a restart', () => {
    expect(heldWords(upgradeRow('DOCKW07', { status: 'held', reason: 'held: dock idle (mode_code 4 (working); a dock answers 312015)' }))).toBe(
      'Held back: dock idle (mode_code 4 (working); a dock answers 312015)',
    );
    expect(heldWords(upgradeRow('DOCKW07', { status: 'held', reason: 'held by rollout: waiting for the canary dock to be verified' }))).toBe(
      'Held by rollout: waiting for the canary dock to be verified',
    );
    expect(heldWords(upgradeRow('DOCKW07', { status: 'in_progress' }))).toBeUndefined();
  });

  it('keeps Elapsed ticking and says how long a running device has been silent', () => {
    const started = Date.parse('2024-06-03T08:00:00.000Z');
    const row = upgradeRow('DOCKW08', { status: 'in_progress', startedAt: '2024-06-03T08:00:00.000Z', updatedAt: '2024-06-03T08:00:05.000Z', lastReportAt: '2024-06-03T08:00:05.000Z' });
    expect(rowTiming(row, started + 10_000)).toEqual({ elapsedSeconds: 10 });
    // Silent from 15 s after the last report: 14 s is not yet, 15 s is, 45 s is said as 45.
    expect(rowTiming(row, started + 19_000)).toEqual({ elapsedSeconds: 19 });
    expect(rowTiming(row, started + 20_000)).toEqual({ elapsedSeconds: 20, silentSeconds: 15 });
    expect(rowTiming(row, started + 50_000)).toEqual({ elapsedSeconds: 50, silentSeconds: 45 });
    // Ended: its duration, whatever the clock says now, and never silent.
    const ended = { ...row, status: 'failed' as const, endedAt: '2024-06-03T08:02:03.000Z' };
    expect(rowTiming(ended, started + 3_600_000)).toEqual({ elapsedSeconds: 123 });
    expect(rowTiming({ ...row, status: 'held' }, started + 3_600_000)).toEqual({});
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
