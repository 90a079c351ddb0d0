import type { Lang } from '../../../shared/contract/common.js';
import type { Api } from '../api.js';
import type { StepId, WizardState } from './state.js';

/** What every step gets: the engine, the language, the one wizard state and the way to change it. */
export interface StepProps {
  readonly api: Api;
  readonly lang: Lang;
  readonly state: WizardState;
  /** Merges a change into the state; a change of method/target/certificate/settings drops the plan made from them. */
  readonly update: (patch: Partial<WizardState>) => void;
  readonly go: (step: StepId) => void;
  /** Secret values by name (keystorePassword…): memory only, never saved with the state. */
  readonly secrets: Readonly<Record<string, string>>;
  readonly setSecret: (name: string, value: string) => void;
}

export type { FieldProblem } from './validate.js';
