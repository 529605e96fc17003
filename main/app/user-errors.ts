// The two failures a person, not a bug, causes. They live in the app layer because the core (run-upgrade)
// raises them too; the CLI prints them as one line with their own exit codes, never a stack trace.

/** A mistake in how the command was called: printed as one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A failure the user can act on (file missing, broker refused): one line, exit code 1. */
export class UserError extends Error {
  override name = 'UserError';
}
