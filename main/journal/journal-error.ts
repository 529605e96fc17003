/** A journal failure with a message a technician can act on (bad record, closed, cannot write). */
export class JournalError extends Error {
  override name = 'JournalError';
}
