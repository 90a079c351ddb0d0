import type { FileEdit } from '../../../../../shared/contract/plan.js';

const lineClass = (line: string): string => {
  if (line.startsWith('+++') || line.startsWith('---')) return 'wss-diff-file';
  if (line.startsWith('@@')) return 'wss-diff-hunk';
  if (line.startsWith('+')) return 'wss-diff-add';
  if (line.startsWith('-')) return 'wss-diff-del';
  return 'wss-diff-ctx';
};

/** A file's unified diff, added lines green and removed lines red (marks kept for colour-blind readers). */
export function DiffView({ file }: { readonly file: FileEdit }) {
  const lines = file.diff.replace(/\n$/, '').split('\n');
  return (
    <pre className="wss-diff" data-path={file.path} tabIndex={0}>
      {lines.map((line, i) => (
        <span key={i} className={lineClass(line)}>
          {line}
          {'\n'}
        </span>
      ))}
    </pre>
  );
}
