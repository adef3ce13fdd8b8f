/** Shown when the passkey has no PRF: the person picks a passphrase for this device instead. */
export function PassphraseFields({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  return (
    <div className="card note">
      <p>
        This browser's passkey can't protect your share (no PRF support). Choose a passphrase for this device instead — at least 8 characters, not used
        elsewhere.
      </p>
      <label>
        Passphrase
        <input type="password" autoComplete="new-password" value={value} onChange={(e) => onChange(e.target.value)} minLength={8} />
      </label>
    </div>
  );
}
