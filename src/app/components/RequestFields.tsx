/**
 * A request's decoded fields, its warnings in plain words, and the technical names inside a "details" disclosure.
 * Field names come from other devices (typed data, a published ABI) and may repeat: keys pair name and value.
 */
import type { RequestDescription } from '../services/describeRequest.ts';

/** `open`: the request still waits for decisions (the warnings are for the people who decide). */
export function RequestFields({ d, open }: { d: RequestDescription; open: boolean }) {
  return (
    <>
      <Fields lines={d.lines} />
      {open &&
        d.warnings.map((w) => (
          <p key={w} className="hold warning" role="note" data-testid="request-warning">
            {w}
          </p>
        ))}
      {d.details.length > 0 && (
        <details className="tech-details">
          <summary>Technical details</summary>
          <Fields lines={d.details} />
        </details>
      )}
    </>
  );
}

function Fields({ lines }: { lines: readonly (readonly [string, string])[] }) {
  return (
    <dl className="fields">
      {lines.map(([k, v]) => (
        <div key={`${k}\u0000${v}`}>
          <dt>{k}</dt>
          <dd>
            <code>{v}</code>
          </dd>
        </div>
      ))}
    </dl>
  );
}
