/** The choice at the top of the Send page: a payment, a contract call or a typed-data signature. */
export type RequestKindName = 'payment' | 'call' | 'typed';

export function RequestKind({ value, onChange }: { value: RequestKindName; onChange: (k: RequestKindName) => void }) {
  const options: [RequestKindName, string][] = [
    ['payment', 'A payment'],
    ['call', 'A contract call'],
    ['typed', 'Sign typed data'],
  ];
  return (
    <fieldset className="choice inline-choice">
      <legend>New request</legend>
      {options.map(([k, label]) => (
        <label key={k}>
          <input type="radio" name="request-kind" checked={value === k} onChange={() => onChange(k)} /> {label}
        </label>
      ))}
    </fieldset>
  );
}

/** Which account acts: the vault (a contract) or the plain address. */
export function FromChoice({ value, onChange }: { value: 'vault' | 'eoa'; onChange: (v: 'vault' | 'eoa') => void }) {
  return (
    <fieldset className="choice">
      <legend>From</legend>
      <label>
        <input type="radio" name="from-account" checked={value === 'vault'} onChange={() => onChange('vault')} /> The vault
      </label>
      <label>
        <input type="radio" name="from-account" checked={value === 'eoa'} onChange={() => onChange('eoa')} /> The plain address
      </label>
    </fieldset>
  );
}
