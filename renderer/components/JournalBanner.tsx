import { useSlice } from '../store/stores';

/** The host cannot write its journal: what happens from now on is not on record, and the technician must know. */
export function JournalBanner() {
  const journal = useSlice('connection', (s) => s.journal);
  if (journal.state !== 'failing') return null;
  return (
    <div className="banner banner-bad" role="alert">
      <p>
        <strong>Journal failing:</strong> {journal.reason}. Since {new Date(journal.since).toLocaleTimeString()} what happens here is not being saved to disk, so it will be missing from exports and
        the report; upgrades already sent carry on. Free disk space or check the data folder, then keep this window open until this message goes.
      </p>
    </div>
  );
}
