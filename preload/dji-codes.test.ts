import { describe, expect, it } from 'vitest';
import { DJI_STATUSES } from './api';
import { batchCountsInWords, batchHadProblems, DJI_ERROR_CODES, DJI_STATUS_WORDS, explainDjiCode, subStatusInWords } from './dji-codes';

/** Every code of the field notes' table (dji-field-notes.md), its group spelled out, with the meaning the notes give it. */
const FIELD_NOTES_CODES: [code: number, meaning: string][] = [
  [312001, 'consistency upgrade sent, but the device did not ask for one'],
  [312002, 'upgrade failed, try again'],
  [312003, 'upgrade failed, try again'],
  [312004, 'upgrade failed, try again'],
  [312013, 'upgrade failed, try again'],
  [312018, 'upgrade failed, try again'],
  [312019, 'upgrade failed, try again'],
  [312020, 'upgrade failed, try again'],
  [312021, 'upgrade failed, try again'],
  [312024, 'upgrade failed, try again'],
  [312010, 'request does not match the protocol'],
  [312012, 'invalid parameters'],
  [312014, 'an upgrade is already running — do not send again'],
  [312015, 'dock busy — retry when idle'],
  [312016, 'dock–aircraft link error — restart both'],
  [312017, 'version check failed'],
  [312022, 'aircraft does not power on or is not linked'],
  [312023, 'driving rods do not close — check the emergency stop'],
  [312025, 'could not delete the old package'],
  [312026, 'could not unpack the offline package'],
  [312027, 'no aircraft in the dock'],
  [312028, 'the device restarted during the upgrade'],
  [312029, 'the device is restarting — wait'],
  [312030, 'enhanced (4G) transmission is on — turn it off'],
  [312704, 'battery below 20%'],
  [319038, 'device busy upgrading (other services refuse)'],
  [514147, 'device busy upgrading (other services refuse)'],
  [514151, 'device busy upgrading (other services refuse)'],
];

describe('DJI error codes', () => {
  it.each(FIELD_NOTES_CODES)('%i explains as "%s"', (code, meaning) => {
    expect(explainDjiCode(code)).toBe(`${code}: ${meaning}`);
  });

  it('knows exactly the codes of the field notes, each once', () => {
    expect([...DJI_ERROR_CODES.keys()].sort()).toEqual(FIELD_NOTES_CODES.map(([code]) => code).sort());
  });

  it('says so for a code not in the table', () => {
    expect(explainDjiCode(312999)).toBe("312999: DJI error code not in Dockside's table");
  });
});

describe('DJI statuses in words', () => {
  it("words every status of the contract: the dock's eight of spec 004 and the app's own around them", () => {
    const expected: Record<string, string> = {
      queued: 'Waiting in the batch',
      held: 'Held back',
      sent: 'Sent to the dock',
      in_progress: 'In progress',
      paused: 'Paused',
      verifying: 'Checking the new version',
      ok: 'Upgraded and verified',
      not_verified: 'Not verified',
      failed: 'Failed',
      rejected: 'Rejected by the dock',
      canceled: 'Canceled',
      timeout: 'Timed out',
    };
    expect(Object.fromEntries(DJI_STATUSES.map((s) => [s, DJI_STATUS_WORDS[s]]))).toEqual(expected);
  });

  /** The eleven sub_status values spec 004 lists, with the words the window shows for each. */
  it.each([
    ['UNKNOWN', 'Unknown'],
    ['VERIFY', 'Verifying the file'],
    ['VERIFY_SUCCESS', 'File verified'],
    ['UPGRADING', 'Upgrading'],
    ['UPGRADE_SUCCESS', 'Upgrade successful'],
    ['UPGRADE_FAIL', 'Upgrade failed'],
    ['DOWNLOADING', 'Downloading'],
    ['DOWNLOAD_SUCCESS', 'Download successful'],
    ['DOWNLOAD_FAILED', 'Download failed'],
    ['UPLOADING_DRONE', 'Uploading the package to the drone'],
    ['VERIFY_FAILED', 'File verification failed'],
  ])('sub_status %s reads "%s"', (raw, words) => {
    expect(subStatusInWords(raw)).toBe(words);
  });

  it('shows an unknown sub_status as sent and an empty one as nothing', () => {
    expect(subStatusInWords('NEW_THING')).toBe('NEW_THING');
    expect(subStatusInWords('')).toBe('');
  });
});

describe('batch counts in words', () => {
  it('lists non-zero counts in status order and flags problems', () => {
    expect(batchCountsInWords({ failed: 1, ok: 2, queued: 0 })).toBe('2 upgraded and verified, 1 failed');
    expect(batchCountsInWords({ not_verified: 1, ok: 3, rejected: 1 })).toBe('3 upgraded and verified, 1 not verified, 1 rejected by the dock');
    expect(batchHadProblems({ ok: 2, timeout: 1 })).toBe(true);
    expect(batchHadProblems({ ok: 2, not_verified: 1 })).toBe(true);
    expect(batchHadProblems({ ok: 3 })).toBe(false);
  });
});
