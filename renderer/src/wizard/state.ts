import type { ApplyOutput } from '../../../shared/contract/apply.js';
import type { CheckOutput } from '../../../shared/contract/check.js';
import type { DetectOutput } from '../../../shared/contract/detect.js';
import type { Plan } from '../../../shared/contract/plan.js';

export const STEPS = ['detect', 'method', 'certificate', 'settings', 'review', 'apply', 'verify', 'done'] as const;
export type StepId = (typeof STEPS)[number];
export type Method = 'nginx-proxy' | 'tomcat-ssl' | 'apache-proxy';

/** The target the plan works on: found by detection or typed by the admin. */
export interface Target {
  readonly install: string;
  readonly nginxConf: string;
  readonly nginxBin: string;
  readonly catalinaBase: string;
  readonly catalinaHome: string;
  readonly apacheConf: string;
}

/**
 * The certificate as a choice the plan carries; nothing is written at the Certificate step.
 * issue: the plan gets an `issue` action (the local CA signs it at Apply, for these names, into the
 * files the planner names next to the configuration); existing: files the admin has (`use-existing`).
 */
export interface CertChoice {
  readonly mode: 'issue' | 'existing';
  /** Host names, one a line; empty at start (the machine's names are only suggestions). */
  readonly names: string;
  readonly certPath: string;
  readonly keyPath: string;
  readonly keystore: string;
}

export interface Settings {
  readonly httpsPort: string;
  readonly httpPort: string;
  readonly forwardPort: string;
  readonly app: string;
  readonly redirectHttp: boolean;
  readonly cors: boolean;
  readonly listenAddress: string;
  readonly websocketPort: string;
  /** Method one: a WebSocket endpoint on the HTTPS port that apply checks over wss (optional). */
  readonly wsPath: string;
}

/** A finer progress line of the last apply: its code and params (rendered in the page's language), and the engine's message as a fallback. Never a secret (apply scrubs them). */
export interface ApplyLine {
  readonly key: string;
  readonly params: Readonly<Record<string, string | number>>;
  readonly message: string;
}

/**
 * One wizard state across the steps. Secrets (keystore password) are never part of it: they live
 * in memory only and are asked for again after a reload.
 */
export interface WizardState {
  readonly step: StepId;
  readonly detected: DetectOutput | null;
  readonly method: Method | null;
  readonly target: Target;
  readonly cert: CertChoice;
  readonly settings: Settings;
  readonly plan: Plan | null;
  readonly run: ApplyOutput | null;
  /** The last apply's finer lines under the step they belong to (kept across a reload with the run). */
  readonly applyLines: Readonly<Record<string, readonly ApplyLine[]>> | null;
  readonly verify: CheckOutput | null;
}

export const INITIAL_STATE: WizardState = {
  step: 'detect',
  detected: null,
  method: null,
  target: { install: '', nginxConf: '', nginxBin: '', catalinaBase: '', catalinaHome: '', apacheConf: '' },
  cert: { mode: 'issue', names: '', certPath: '', keyPath: '', keystore: '' },
  settings: { httpsPort: '', httpPort: '', forwardPort: '', app: '', redirectHttp: false, cors: false, listenAddress: '', websocketPort: '', wsPath: '' },
  plan: null,
  run: null,
  applyLines: null,
  verify: null,
};

const STORAGE_KEY = 'wss-setup.wizard.v1';

/** The part of the browser's Storage the wizard uses (sessionStorage in the page). */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** The saved state of this browser tab (serve mode resumes after a reload); null when none or unreadable. */
export function loadState(storage: KeyValueStore | null): WizardState | null {
  try {
    const text = storage?.getItem(STORAGE_KEY);
    if (text === null || text === undefined) return null;
    const parsed = JSON.parse(text) as Partial<WizardState>;
    if (typeof parsed !== 'object' || parsed === null || !STEPS.includes(parsed.step as StepId)) return null;
    return {
      ...INITIAL_STATE,
      ...parsed,
      target: { ...INITIAL_STATE.target, ...parsed.target },
      cert: { ...INITIAL_STATE.cert, ...parsed.cert },
      settings: { ...INITIAL_STATE.settings, ...parsed.settings },
    };
  } catch {
    return null;
  }
}

export function saveState(storage: KeyValueStore | null, state: WizardState): void {
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify(state));
  } catch {
    // A full or disabled storage only loses the resume-after-reload.
  }
}

export function clearState(storage: KeyValueStore | null): void {
  try {
    storage?.removeItem(STORAGE_KEY);
  } catch {
    // nothing to clear
  }
}

/** Changing an earlier choice invalidates what was computed from it. */
export function withChange(state: WizardState, patch: Partial<WizardState>): WizardState {
  const next = { ...state, ...patch };
  if (patch.method !== undefined || patch.target !== undefined || patch.cert !== undefined || patch.settings !== undefined) {
    return { ...next, plan: null, run: null, applyLines: null, verify: null };
  }
  return next;
}
