import { useCallback, useState } from 'react';
import type { ProgressEvent } from '../../../shared/contract/operation.js';
import type { OpError, Result } from '../../../shared/contract/result.js';

export interface OperationState {
  /** The busy line while an operation runs (its label, then each progress step), null when idle. */
  readonly busy: string | null;
  /** The last operation's error, until the next one starts. */
  readonly error: OpError | null;
  readonly setError: (error: OpError | null) => void;
  /**
   * Runs one operation with the busy line and the error box: `call` gets the progress callback to
   * pass on (`api.certServer(input, { onProgress })`). Returns the value, or null after an error.
   */
  readonly run: <T>(label: string, call: (onProgress: (event: ProgressEvent) => void) => Promise<Result<T>>) => Promise<T | null>;
}

/** The one way a panel calls the engine: busy line, progress steps and error state in one place. */
export function useOperation(): OperationState {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<OpError | null>(null);
  const run = useCallback(async <T,>(label: string, call: (onProgress: (event: ProgressEvent) => void) => Promise<Result<T>>): Promise<T | null> => {
    setBusy(label);
    setError(null);
    try {
      const result = await call((event) => setBusy(event.message));
      if (result.ok) return result.value;
      setError(result.error);
      return null;
    } finally {
      setBusy(null);
    }
  }, []);
  return { busy, error, setError, run };
}
