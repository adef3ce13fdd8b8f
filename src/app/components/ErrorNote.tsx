/** An error in plain words, with what to do next. */
export function ErrorNote({ text }: { text: string | undefined }) {
  if (!text) return null;
  return (
    <p className="error" role="alert">
      {text}
    </p>
  );
}
