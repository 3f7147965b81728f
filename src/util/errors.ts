/** The message of any thrown value (AWS error bodies sometimes spell it `Message`), else its string form. The one helper for it. */
export function errorMessage(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as { message?: unknown; Message?: unknown };
    const m = e.message ?? e.Message;
    if (typeof m === 'string' && m) return m;
  }
  return String(err);
}
