/** Input problems found before anything is sent (one line each). */
export function ProblemList({ problems }: { readonly problems: readonly { readonly key: string; readonly text: string }[] }) {
  if (problems.length === 0) return null;
  return (
    <ul className="wss-problems" role="alert">
      {problems.map((p) => (
        <li key={p.key}>{p.text}</li>
      ))}
    </ul>
  );
}
