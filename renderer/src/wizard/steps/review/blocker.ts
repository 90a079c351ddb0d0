import type { Plan } from '../../../../../shared/contract/plan.js';
import type { MessageKey } from '../../../../../shared/i18n/index.js';

/** Why Next is disabled on Review, or null. `caPath`: the local CA (null: there is none, undefined: not looked up). */
export function reviewBlocker(plan: Plan | null, busy: boolean, caPath: string | null | undefined = undefined): MessageKey | null {
  if (busy) return 'wizard.why.busy';
  if (plan === null) return 'wizard.why.plan';
  // Apply would refuse an `issue` action without the CA that signs it: said here, before Apply.
  if (caPath === null && plan.certificates.some((c) => c.kind === 'issue')) return 'wizard.why.caReview';
  if (plan.notes.some((n) => n.severity === 'error') || plan.validations.some((v) => !v.ok)) return 'wizard.why.planErrors';
  return null;
}
