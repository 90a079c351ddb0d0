import type { Lang } from '../../../shared/contract/common.js';
import type { Api } from '../api.js';

/** Every wizard panel gets the Api (engine operations) and the current language. */
export interface PanelProps {
  readonly api: Api;
  readonly lang: Lang;
}
