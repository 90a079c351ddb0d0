import type { Lang } from '../../../shared/contract/common.js';
import type { ProgressEvent } from '../../../shared/contract/operation.js';
import { realPorts, type Ports } from '../ports/index.js';

/** What every engine handler receives besides its validated input. */
export interface OpContext {
  readonly lang: Lang;
  readonly onProgress: (event: ProgressEvent) => void;
  readonly signal?: AbortSignal;
  /** Every process, file write and wait goes through these (tests substitute them to inject faults). */
  readonly ports: Ports;
}

/** A context with the real ports and no progress listener unless given (tests, benches, composition). */
export function engineContext(partial: Partial<OpContext> = {}): OpContext {
  return { lang: 'en', onProgress: () => undefined, ports: realPorts, ...partial };
}
