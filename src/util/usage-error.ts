/** An error whose message is meant for the user as-is (no stack trace). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
