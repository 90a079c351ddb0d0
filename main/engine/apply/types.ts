import type { CheckRequest, CheckOutput } from '../../../shared/contract/check.js';
import type { FineDbRowChange, Plan } from '../../../shared/contract/plan.js';
import type { ApplyStep } from '../../../shared/contract/apply.js';
import type { OpContext } from '../common/context.js';
import type { Timing } from '../services/index.js';

/** The FineDB steps apply runs (the finedb module's face). */
export interface FineDbSteps {
  backup(install: string, ctx: OpContext, secrets: Readonly<Record<string, string>>): Promise<{ readonly id: string; readonly path: string; readonly kind: 'files' | 'rows'; readonly rows?: readonly { readonly id: string; readonly value: string; readonly present: boolean }[] }>;
  write(rows: readonly FineDbRowChange[], secrets: Readonly<Record<string, string>>, ctx: OpContext): Promise<unknown>;
  restore(backupId: string, install: string, ctx: OpContext, secrets: Readonly<Record<string, string>>): Promise<unknown>;
}

/** The offline validation of a plan's files on a temporary copy (nginx -t, configtest, apachectl -t). */
export type PlanValidator = (plan: Plan, ctx: OpContext, secrets: Readonly<Record<string, string>>) => Promise<{ readonly tool: string; readonly ok: boolean; readonly output: string } | null>;

export type HealthCheck = (input: CheckRequest, ctx: OpContext) => Promise<CheckOutput>;

/** A test hook at every step boundary (kill -9 of the apply process in the crash tests). */
export type BoundaryHook = (step: ApplyStep, when: 'before' | 'after') => void | Promise<void>;

export interface ApplyDeps {
  readonly dataDir: string;
  readonly finedb: FineDbSteps | null;
  readonly validators: readonly PlanValidator[];
  readonly check: HealthCheck;
  readonly timing: Timing;
  /** Backups kept for this many finished runs. */
  readonly retention: number;
  readonly boundary?: BoundaryHook;
}
