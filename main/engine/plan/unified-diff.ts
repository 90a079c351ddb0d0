/**
 * Line-based unified diff (Myers' O(ND) algorithm), `diff -u` style, for showing
 * file edits in a plan. Only the changed regions (plus context) are printed.
 */

type Op = { readonly kind: ' ' | '-' | '+'; readonly text: string };

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  else lines[lines.length - 1] += '\n\\ No newline at end of file';
  return lines;
}

function myers(a: readonly string[], b: readonly string[]): Op[] {
  // Trim the common prefix and suffix first: edits are usually local.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const A = a.slice(start, endA);
  const B = b.slice(start, endB);
  const n = A.length;
  const m = B.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && A[x] === B[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  trace.push(v.slice());
  // Backtrack.
  const middle: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 2; d >= 0 && (x > 0 || y > 0); d--) {
    const vd = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[offset + k - 1]! < vd[offset + k + 1]!) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : vd[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      middle.push({ kind: ' ', text: A[--x]! });
      y--;
    }
    if (d === 0) break;
    if (x === prevX) middle.push({ kind: '+', text: B[--y]! });
    else middle.push({ kind: '-', text: A[--x]! });
  }
  while (x > 0 && y > 0) {
    middle.push({ kind: ' ', text: A[--x]! });
    y--;
  }
  middle.reverse();
  return [...a.slice(0, start).map((text) => ({ kind: ' ' as const, text })), ...middle, ...a.slice(endA).map((text) => ({ kind: ' ' as const, text }))];
}

/** A unified diff of two texts with `context` lines around each change; '' when they are equal. */
export function unifiedDiff(before: string, after: string, labelA: string, labelB: string, context = 3): string {
  if (before === after) return '';
  const ops = myers(splitLines(before), splitLines(after));
  const out: string[] = [`--- ${labelA}`, `+++ ${labelB}`];
  let i = 0;
  while (i < ops.length) {
    if (ops[i]!.kind === ' ') {
      i++;
      continue;
    }
    // A hunk: extend while changes are within 2*context of each other.
    let start = Math.max(0, i - context);
    let end = i;
    for (;;) {
      while (end < ops.length && ops[end]!.kind !== ' ') end++;
      let next = end;
      while (next < ops.length && ops[next]!.kind === ' ') next++;
      if (next < ops.length && next - end <= 2 * context) end = next;
      else break;
    }
    const stop = Math.min(ops.length, end + context);
    let lineA = 1;
    let lineB = 1;
    for (let k = 0; k < start; k++) {
      if (ops[k]!.kind !== '+') lineA++;
      if (ops[k]!.kind !== '-') lineB++;
    }
    const hunk = ops.slice(start, stop);
    const countA = hunk.filter((o) => o.kind !== '+').length;
    const countB = hunk.filter((o) => o.kind !== '-').length;
    out.push(`@@ -${countA === 0 ? lineA - 1 : lineA},${countA} +${countB === 0 ? lineB - 1 : lineB},${countB} @@`);
    for (const op of hunk) out.push(op.kind + op.text);
    i = stop;
    start = stop;
  }
  return `${out.join('\n')}\n`;
}

/** Applies a unified diff produced by unifiedDiff to `before` (used by tests to prove diffs are exact). */
export function applyUnifiedDiff(before: string, diff: string): string {
  if (diff === '') return before;
  const a = splitLines(before);
  const out: string[] = [];
  let pos = 0;
  const lines = diff.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (let i = 2; i < lines.length; i++) {
    const header = /^@@ -(\d+),(\d+) \+\d+,\d+ @@$/.exec(lines[i]!);
    if (header === null) throw new Error(`bad hunk header: ${lines[i]}`);
    const startA = Number(header[2]) === 0 ? Number(header[1]) : Number(header[1]) - 1;
    while (pos < startA) out.push(a[pos++]!);
    i++;
    while (i < lines.length && !lines[i]!.startsWith('@@')) {
      const kind = lines[i]![0];
      let text = lines[i]!.slice(1);
      if (lines[i + 1]?.startsWith('\\ No newline')) {
        text += `\n${lines[i + 1]}`;
        i++;
      }
      if (kind === ' ' || kind === '-') {
        if (a[pos] !== text) throw new Error(`diff does not apply at line ${pos + 1}`);
        pos++;
      }
      if (kind === ' ' || kind === '+') out.push(text);
      i++;
    }
    i--;
  }
  while (pos < a.length) out.push(a[pos++]!);
  const joined = out.join('\n');
  return joined.endsWith('\\ No newline at end of file') ? joined.replace(/\n\\ No newline at end of file$/, '') : out.length > 0 ? `${joined}\n` : '';
}
