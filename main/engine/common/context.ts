import type { Lang } from '../../../shared/contract/common.js';
import type { ProgressEvent } from '../../../shared/contract/operation.js';

/** What every engine handler receives besides its validated input. */
export interface OpContext {
  readonly lang: Lang;
  readonly onProgress: (event: ProgressEvent) => void;
  readonly signal?: AbortSignal;
}
