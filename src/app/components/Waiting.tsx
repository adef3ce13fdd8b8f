/** A visible "this is working" line with a spinner, for anything that waits. */
export function Waiting({ label }: { label: string }) {
  return (
    <p className="waiting" role="status">
      <span className="spinner" aria-hidden="true" /> {label}
    </p>
  );
}
