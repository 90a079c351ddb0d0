/**
 * The Plan: everything a method would change, computed before anything is touched.
 * Pure, JSON-serializable data (no functions, no Dates, no secrets), so that hosts can
 * show it, save it (--out plan.json) and the apply step can run it as a transaction:
 * check every precondition (file hashes), back up, write, restart, check, or roll back.
 * Type-only module: no imports, safe for the renderer.
 */

export const PLAN_VERSION = 1;

export interface Plan {
  readonly version: typeof PLAN_VERSION;
  /** What produced it, e.g. "nginx-proxy". */
  readonly method: string;
  /** Profile of the method, e.g. "finereport". */
  readonly profile: string;
  /** ISO time the plan was computed. */
  readonly createdAt: string;
  /** The configuration the plan was computed against. */
  readonly target: PlanTarget;
  /** Files to create or rewrite, in the order they should be written. */
  readonly files: readonly FileEdit[];
  readonly certificates: readonly CertificateAction[];
  readonly fineDbRows: readonly FineDbRowChange[];
  /** Service actions in order (stop and start, never reload). */
  readonly services: readonly ServiceAction[];
  /** Live checks that prove the result after apply. */
  readonly checks: readonly PlannedCheck[];
  /** Warnings and explanations the admin should read before applying. */
  readonly notes: readonly PlanNote[];
  /** The offline validation the plan passed before it was offered. */
  readonly validation: PlanValidation;
}

export interface PlanTarget {
  readonly kind: 'nginx';
  /** Absolute path of the main configuration file. */
  readonly mainConf: string;
  /** The configuration tree: no file outside it is ever edited. */
  readonly confDir: string;
}

export interface FileEdit {
  /** Absolute path of the file to write (the real file, symlinks resolved). */
  readonly path: string;
  readonly action: 'create' | 'modify';
  /** sha256 (hex) of the bytes the plan was computed from; null for a new file. Apply refuses if it changed. */
  readonly beforeSha256: string | null;
  readonly afterSha256: string;
  /** The complete new content. */
  readonly content: string;
  /** How `content` is turned into bytes. */
  readonly encoding: 'utf8' | 'latin1';
  /** Unified diff (a/ b/ labels with the absolute path) for the admin to read. */
  readonly diff: string;
  /** True for a file wss-setup owns (its header records the hash of its body). */
  readonly owned: boolean;
  /** Why this file changes, i18n-rendered. */
  readonly reason: string;
}

export type CertificateAction =
  | {
      /** Use PEM files the admin already has; nothing is written. */
      readonly kind: 'use-existing';
      readonly certPath: string;
      readonly keyPath: string;
    }
  | {
      /** Issue a server certificate (local CA) to these paths at apply time (certs module). */
      readonly kind: 'issue';
      readonly certPath: string;
      readonly keyPath: string;
      readonly names: readonly string[];
    };

export interface FineDbRowChange {
  /** fine_conf_entity id, written exactly as the product reads it. */
  readonly id: string;
  readonly value: string;
  readonly product: string;
  /** Install directory the rows belong to, when known. */
  readonly install?: string;
}

export interface ServiceAction {
  readonly service: 'nginx' | 'finereport' | 'finebi' | 'finedatalink';
  readonly action: 'stop-start';
  readonly reason: string;
}

export interface PlannedCheck {
  /** A ws:// or wss:// URL for the live health check. */
  readonly url: string;
  readonly what: string;
}

export interface PlanNote {
  readonly code: string;
  readonly severity: 'error' | 'warning' | 'info';
  readonly message: string;
  readonly fix: string;
  readonly evidence: Readonly<Record<string, unknown>>;
}

export interface PlanValidation {
  /** The command that validated the edited tree (on a temporary copy). */
  readonly tool: 'nginx -t' | 'none';
  readonly ok: boolean;
  /** nginx's output with temporary paths mapped back to the real ones. */
  readonly output: string;
}
