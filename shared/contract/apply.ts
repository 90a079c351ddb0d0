import * as z from './z.js';
import { defineOperation } from './operation.js';

/**
 * Apply a plan as a transaction (issue 10): preflight → back up → stop → write files →
 * certificates → FineDB rows → start → checks, every step journaled before and after it runs,
 * rolled back on any failure (a failing check included). History, show, rollback and recover
 * read the same journal. Secrets come with the request and are never stored or echoed.
 */

const SecretName = z.string().regex(/^[A-Za-z][A-Za-z0-9.-]{0,63}$/, { message: 'input.apply.secretName' });
export const RunIdSchema = z.string().regex(/^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}$/, { message: 'input.apply.runId' });

export const ApplyInputSchema = z.strictObject({
  /** The saved plan's text (JSON); parsed and checked by the engine (precise refusal codes). */
  planText: z.string().max(64 * 1024 * 1024, { message: 'input.apply.planTooLarge' }),
  /** Values of the plan's secret references (keystorePassword, databasePassword…), used for this run only. */
  secrets: z.record(SecretName, z.string().max(4096)).default({}),
  /** Preflight only: nothing is stopped, written or journaled. */
  dryRun: z.boolean().default(false),
  /** How long the checks may retry while the application warms up after the start (ms). */
  warmupMs: z.number().int().min(0).max(600_000).default(60_000),
});
export type ApplyInput = z.input<typeof ApplyInputSchema>;
export type ApplyRequest = z.output<typeof ApplyInputSchema>;

export const RunRefSchema = z.strictObject({ run: RunIdSchema, secrets: z.record(SecretName, z.string().max(4096)).default({}) });
export const HistoryInputSchema = z.strictObject({ limit: z.number().int().min(1).max(1000).default(50) });
export const RecoverInputSchema = z.strictObject({ secrets: z.record(SecretName, z.string().max(4096)).default({}) });

/** In the order they run. FineDB is backed up after the stop: an embedded HSQLDB is only consistent (and only free) once its server is stopped. */
export const APPLY_STEPS = ['preflight', 'backup-files', 'stop-services', 'backup-finedb', 'write-files', 'certificates', 'finedb-rows', 'start-services', 'checks'] as const;
export type ApplyStep = (typeof APPLY_STEPS)[number];

/**
 * The finer progress lines inside a step (progress key `progress.apply.item.<name>`, with params:
 * a service id and how it runs, a file path, host names, a FineDB row key and its value with a
 * secret masked, ports, a URL — never a secret).
 */
export const APPLY_ITEMS = ['stopping', 'stopped', 'backup', 'backupAbsent', 'write', 'link', 'issue', 'finedbBackup', 'finedbRow', 'finedbRowSecret', 'finedbRowDelete', 'starting', 'ready', 'pageAnswers', 'started', 'checkOk', 'checkFailed', 'restored', 'finedbRestored'] as const;
export type ApplyItem = (typeof APPLY_ITEMS)[number];

/** The apply step a progress key announces (`progress.apply.<step>`), or null for a finer line inside the current step. */
export function applyStepOf(progressKey: string): ApplyStep | null {
  const name = progressKey.startsWith('progress.apply.') ? progressKey.slice('progress.apply.'.length) : '';
  return (APPLY_STEPS as readonly string[]).includes(name) ? (name as ApplyStep) : null;
}

export type ApplyOutcome = 'applied' | 'rolled-back' | 'rollback-incomplete' | 'dry-run' | 'reverted' | 'nothing-to-undo';

export interface StepReport {
  readonly name: string;
  readonly status: 'done' | 'failed' | 'skipped';
  readonly ms: number;
}

export interface FileReport {
  readonly path: string;
  readonly action: 'create' | 'modify' | 'link';
  readonly beforeSha256: string | null;
  readonly afterSha256: string;
}

export interface CheckReport {
  readonly url: string;
  readonly ok: boolean;
  readonly codes: readonly string[];
  /** Tries until it passed (warm-up). */
  readonly attempts: number;
}

/** What was put back, and what could not be (with how to do it by hand). */
export interface RestoreReport {
  readonly files: readonly string[];
  readonly fineDb: readonly string[];
  readonly services: readonly string[];
  readonly checks: readonly CheckReport[];
  /** Each: an i18n code and params, rendered by hosts (apply.manual.*). */
  readonly manual: readonly { readonly code: string; readonly params: Readonly<Record<string, string | number>> }[];
}

export interface ApplyOutput {
  readonly runId: string | null;
  readonly outcome: ApplyOutcome;
  readonly method: string;
  readonly profile: string;
  readonly steps: readonly StepReport[];
  readonly files: readonly FileReport[];
  readonly checks: readonly CheckReport[];
  /** The step that failed and why (rendered error), when the run rolled back. */
  readonly failure?: { readonly step: string; readonly code: string; readonly message: string; readonly fix?: string };
  readonly restore?: RestoreReport;
}

export interface RunSummary {
  readonly id: string;
  readonly kind: 'apply' | 'rollback' | 'recover';
  readonly ofRun: string | null;
  readonly state: string;
  readonly method: string;
  readonly profile: string;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly failedStep: string | null;
}

export interface HistoryOutput {
  readonly runs: readonly RunSummary[];
  /** Runs that never finished (killed mid-apply): `recover` puts the state before them back. */
  readonly unfinished: readonly string[];
}

export interface RunShowOutput extends RunSummary {
  readonly planSha256: string;
  readonly steps: readonly { readonly seq: number; readonly name: string; readonly status: string; readonly at: string; readonly ms: number | null }[];
  readonly backups: readonly { readonly path: string; readonly existed: boolean; readonly sha256: string | null; readonly mode: number | null; readonly uid: number | null; readonly gid: number | null; readonly stored: boolean; readonly restored: boolean }[];
  readonly fineDb: readonly { readonly install: string; readonly backupId: string; readonly rows: readonly { readonly id: string; readonly existed: boolean; readonly value: string | null }[] }[];
  readonly checks: readonly { readonly phase: string; readonly url: string; readonly ok: boolean; readonly codes: readonly string[] }[];
  readonly outcome: unknown;
}

const APPLY_ERRORS = [
  // The local CA issuing a plan's certificate at apply time (certs module).
  'CERT_CA_MISSING',
  'CERT_CA_INVALID',
  'CERT_DATA_DIR_UNSAFE',
  'CERT_FILE_NOT_MATERIAL',
  'CERT_PLAN_SECRET_MISSING',
  'CERT_PLAN_PASSWORDS_DIFFER',
  'PLAN_INVALID',
  'PLAN_VERSION',
  'PLAN_TRUNCATED',
  'PLAN_NOT_JSON',
  'PLAN_SECRET_VALUE',
  'APPLY_LOCKED',
  'APPLY_CHANGED_SINCE_PLANNED',
  'APPLY_VALIDATION_FAILED',
  'APPLY_SECRET_MISSING',
  'APPLY_PORT_IN_USE',
  'APPLY_NO_ROOM',
  'APPLY_UNSUPPORTED',
  'APPLY_PLAN_CORRUPT',
  'APPLY_UNFINISHED_RUN',
] as const;

export const applyOperations = {
  apply: defineOperation<ApplyOutput>()({
    input: ApplyInputSchema,
    errors: ['INVALID_INPUT', ...APPLY_ERRORS],
    inputErrors: ['PLAN_INVALID', 'PLAN_VERSION', 'PLAN_TRUNCATED', 'PLAN_NOT_JSON', 'PLAN_SECRET_VALUE', 'APPLY_SECRET_MISSING', 'APPLY_PLAN_CORRUPT'],
    progress: true,
  }),
  applyHistory: defineOperation<HistoryOutput>()({ input: HistoryInputSchema, errors: ['INVALID_INPUT'] }),
  applyShow: defineOperation<RunShowOutput>()({ input: z.strictObject({ run: RunIdSchema }), errors: ['INVALID_INPUT', 'APPLY_RUN_NOT_FOUND'], inputErrors: ['APPLY_RUN_NOT_FOUND'] }),
  applyRollback: defineOperation<ApplyOutput>()({
    input: RunRefSchema,
    errors: ['INVALID_INPUT', 'APPLY_RUN_NOT_FOUND', 'APPLY_LOCKED', 'APPLY_ROLLBACK_CHANGED', 'APPLY_ROLLBACK_STATE', 'APPLY_BACKUP_MISSING', 'APPLY_SECRET_MISSING'],
    inputErrors: ['APPLY_RUN_NOT_FOUND', 'APPLY_ROLLBACK_STATE'],
    progress: true,
  }),
  applyRecover: defineOperation<ApplyOutput>()({
    input: RecoverInputSchema,
    errors: ['INVALID_INPUT', 'APPLY_LOCKED', 'APPLY_NOTHING_TO_RECOVER', 'APPLY_BACKUP_MISSING', 'APPLY_SECRET_MISSING'],
    progress: true,
  }),
} as const;
