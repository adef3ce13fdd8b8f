/** Shown when the passkey can't derive a key (no WebAuthn PRF): the person picks a passphrase for this device instead. */
export function PassphraseFields({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  return (
    <div className="card note">
      <p>
        Your passkey can't lock the share on this device in this browser: it lacks a feature Cairn needs. Choose a passphrase for this device instead — at least
        8 characters, not used elsewhere.
      </p>
      <details>
        <summary>Why</summary>
        <p className="muted">The passkey or browser doesn't support the WebAuthn PRF extension, which turns a passkey into an encryption key.</p>
      </details>
      <label>
        Passphrase
        <input type="password" autoComplete="new-password" value={value} onChange={(e) => onChange(e.target.value)} minLength={8} />
      </label>
    </div>
  );
}
