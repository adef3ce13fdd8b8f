/** What to show a person for a failure: a CairnError's or viem error's short message, else the error's message. */
export function errorText(err: unknown): string {
  if (err && typeof err === 'object' && 'shortMessage' in err && typeof err.shortMessage === 'string') return err.shortMessage;
  return err instanceof Error ? err.message : String(err);
}
