/** Small helpers shared by the bench scripts: medians, percentiles, aligned output. */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export function ms(value: number): string {
  return `${value.toFixed(2).padStart(9)} ms`;
}

export function verdict(ok: boolean): string {
  return ok ? 'target met' : 'TARGET MISSED';
}
