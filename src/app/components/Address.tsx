import { useState } from 'react';

/** An address or hash, shortened on small screens, with a copy button. */
export function Address({ value, label }: { value: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  const copy = () => {
    void navigator.clipboard?.writeText(value).then(() => {
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    });
  };
  return (
    <span className="address">
      <code title={value} data-testid={label}>
        {value}
      </code>
      <button type="button" className="small" onClick={copy} aria-label={`Copy ${label ?? 'address'}`}>
        {copied ? 'Copied' : 'Copy'}
      </button>
    </span>
  );
}
