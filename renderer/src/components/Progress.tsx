/** The busy line of a running operation (its current step); nothing when idle. */
export function Progress({ message }: { readonly message: string | null }) {
  if (message === null) return null;
  return (
    <p className="wss-progress" role="status">
      <span className="wss-spinner" aria-hidden="true" /> {message}
    </p>
  );
}
