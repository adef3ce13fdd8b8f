/** What to show a person for a failure: a CairnError's or viem error's short message, else the error's message. */
/** A message as a sentence: a full stop added unless it already ends in one (or in ? or !). */
export const sentence = (text: string): string => (/[.?!]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`);

export function errorText(err: unknown): string {
  if (err && typeof err === 'object' && 'shortMessage' in err && typeof err.shortMessage === 'string') return err.shortMessage;
  return err instanceof Error ? err.message : String(err);
}
