import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { dataDir } from '../common/paths.js';
import { clearRunning, markRunning, runningDir, runningMarkers } from '../common/running-marker.js';
import { SCHEMA, SCHEMA_VERSION } from './schema.js';
import { scrub, scrubbedJson } from './scrub.js';

export type RunKind = 'apply' | 'rollback' | 'recover';
export type RunState = 'running' | 'applied' | 'rolled-back' | 'rollback-incomplete' | 'refused' | 'reverted' | 'dry-run';
export type StepStatus = 'started' | 'done' | 'failed' | 'skipped';

export interface RunRow {
  readonly id: string;
  readonly kind: RunKind;
  readonly ofRun: string | null;
  readonly state: RunState;
  readonly method: string;
  readonly profile: string;
  readonly planSha256: string;
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly failedStep: string | null;
  readonly outcome: unknown;
}

export interface StepRow {
  readonly seq: number;
  readonly name: string;
  readonly status: StepStatus;
  readonly at: string;
  readonly ms: number | null;
  readonly detail: unknown;
}

export interface BackupRow {
  readonly seq: number;
  readonly path: string;
  readonly existed: boolean;
  readonly sha256: string | null;
  readonly size: number | null;
  readonly mode: number | null;
  readonly uid: number | null;
  readonly gid: number | null;
  readonly selinux: string | null;
  readonly storedAt: string | null;
  readonly restored: boolean;
}

export interface FineDbBackupRow {
  readonly install: string;
  readonly kind: 'files' | 'rows';
  readonly backupId: string;
  readonly backupPath: string;
  readonly rows: readonly { readonly id: string; readonly existed: boolean; readonly value: string | null }[];
}

export interface CheckRow {
  readonly phase: 'before' | 'after' | 'after-rollback';
  readonly url: string;
  readonly ok: boolean;
  readonly codes: readonly string[];
  readonly at: string;
}

export interface RunDetail extends RunRow {
  readonly plan: unknown;
  readonly steps: readonly StepRow[];
  readonly backups: readonly BackupRow[];
  readonly finedb: readonly FineDbBackupRow[];
  readonly checks: readonly CheckRow[];
}

export const journalPath = (dir: string = dataDir()): string => join(dir, 'journal.sqlite');

/** Creates a file 0600 before SQLite opens it (SQLite would create it with the umask). */
function ensurePrivate(path: string): void {
  if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
  chmodSync(path, 0o600);
}

/**
 * The apply journal: every run, each step before and after it runs, every backup (path, sha256,
 * mode, owner, where stored), FineDB old values, checks and the outcome. SQLite in WAL mode in the
 * data folder, file 0600; nothing written to it holds a secret (scrubbed on the way in).
 */
export class Journal {
  private constructor(
    readonly dir: string,
    private readonly db: Database.Database,
  ) {}

  static open(dir: string = dataDir()): Journal {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const path = journalPath(dir);
    ensurePrivate(path);
    // The folder of run markers exists from the first open on: its absence means a journal older
    // than the markers, which the CLI's notice then asks directly.
    mkdirSync(runningDir(dir), { recursive: true, mode: 0o700 });
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    db.exec(SCHEMA);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
    for (const extra of [`${path}-wal`, `${path}-shm`]) if (existsSync(extra)) chmodSync(extra, 0o600);
    return new Journal(dir, db);
  }

  close(): void {
    this.db.close();
  }

  beginRun(run: { id: string; kind: RunKind; ofRun?: string; method: string; profile: string; planSha256: string; plan: unknown; startedAt: string }): void {
    // The marker first: a run journaled as running always has one (a marker without a run is harmless).
    markRunning(this.dir, run.id);
    this.db
      .prepare('INSERT INTO runs (id, kind, of_run, state, method, profile, plan_sha256, plan_json, pid, host, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(run.id, run.kind, run.ofRun ?? null, 'running', run.method, run.profile, run.planSha256, scrubbedJson(run.plan), process.pid, hostname(), run.startedAt);
  }

  /** Journals a step; returns its sequence number. */
  step(runId: string, name: string, status: StepStatus, at: string, detail?: unknown, ms?: number): number {
    const next = (this.db.prepare('SELECT COALESCE(MAX(seq), 0) + 1 AS n FROM steps WHERE run_id = ?').get(runId) as { n: number }).n;
    this.db.prepare('INSERT INTO steps (run_id, seq, name, status, at, ms, detail_json) VALUES (?, ?, ?, ?, ?, ?, ?)').run(runId, next, name, status, at, ms ?? null, detail === undefined ? null : scrubbedJson(detail));
    return next;
  }

  recordBackup(runId: string, b: Omit<BackupRow, 'seq' | 'restored'>): void {
    const next = (this.db.prepare('SELECT COALESCE(MAX(seq), 0) + 1 AS n FROM backups WHERE run_id = ?').get(runId) as { n: number }).n;
    this.db
      .prepare('INSERT INTO backups (run_id, seq, path, existed, sha256, size, mode, uid, gid, selinux, stored_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(runId, next, scrub(b.path), b.existed ? 1 : 0, b.sha256, b.size, b.mode, b.uid, b.gid, b.selinux, b.storedAt);
  }

  markRestored(runId: string, path: string): void {
    this.db.prepare('UPDATE backups SET restored = 1 WHERE run_id = ? AND path = ?').run(runId, path);
  }

  recordFineDb(runId: string, f: FineDbBackupRow): void {
    this.db.prepare('INSERT OR REPLACE INTO finedb (run_id, install, kind, backup_id, backup_path, rows_json) VALUES (?, ?, ?, ?, ?, ?)').run(runId, f.install, f.kind, f.backupId, f.backupPath, scrubbedJson(f.rows));
  }

  recordCheck(runId: string, c: CheckRow): void {
    this.db.prepare('INSERT INTO checks (run_id, phase, url, ok, codes, at) VALUES (?, ?, ?, ?, ?, ?)').run(runId, c.phase, scrub(c.url), c.ok ? 1 : 0, c.codes.join(','), c.at);
  }

  finishRun(runId: string, state: Exclude<RunState, 'running'>, finishedAt: string, outcome: unknown, failedStep?: string): void {
    this.db.prepare('UPDATE runs SET state = ?, finished_at = ?, outcome_json = ?, failed_step = ? WHERE id = ?').run(state, finishedAt, scrubbedJson(outcome), failedStep ?? null, runId);
    clearRunning(this.dir, runId);
  }

  /** Marks an older run as undone by a later rollback/recover. */
  markReverted(runId: string): void {
    this.db.prepare("UPDATE runs SET state = 'reverted' WHERE id = ?").run(runId);
  }

  runs(limit = 50): RunRow[] {
    return (this.db.prepare('SELECT * FROM runs ORDER BY started_at DESC, rowid DESC LIMIT ?').all(limit) as DbRun[]).map(toRun);
  }

  /** Runs that never finished (the process was killed or the machine lost power mid-apply). */
  unfinished(): RunRow[] {
    const runs = (this.db.prepare("SELECT * FROM runs WHERE state = 'running' ORDER BY started_at").all() as DbRun[]).map(toRun);
    // Keep the cheap hint true: a run journaled as running has its marker; an ended run's is removed.
    try {
      const running = new Set(runs.map((r) => r.id));
      for (const id of runningMarkers(this.dir)) if (!running.has(id)) clearRunning(this.dir, id);
      for (const r of runs) markRunning(this.dir, r.id);
    } catch {
      // a hint only: the journal stays the answer
    }
    return runs;
  }

  run(id: string): RunDetail | null {
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as DbRun | undefined;
    if (row === undefined) return null;
    const steps = (this.db.prepare('SELECT * FROM steps WHERE run_id = ? ORDER BY seq').all(id) as DbStep[]).map((s) => ({ seq: s.seq, name: s.name, status: s.status as StepStatus, at: s.at, ms: s.ms, detail: parse(s.detail_json) }));
    const backups = (this.db.prepare('SELECT * FROM backups WHERE run_id = ? ORDER BY seq').all(id) as DbBackup[]).map((b) => ({
      seq: b.seq,
      path: b.path,
      existed: b.existed === 1,
      sha256: b.sha256,
      size: b.size,
      mode: b.mode,
      uid: b.uid,
      gid: b.gid,
      selinux: b.selinux,
      storedAt: b.stored_at,
      restored: b.restored === 1,
    }));
    const finedb = (this.db.prepare('SELECT * FROM finedb WHERE run_id = ?').all(id) as DbFine[]).map((f) => ({ install: f.install, kind: f.kind as 'files' | 'rows', backupId: f.backup_id, backupPath: f.backup_path, rows: parse(f.rows_json) as FineDbBackupRow['rows'] }));
    const checks = (this.db.prepare('SELECT * FROM checks WHERE run_id = ? ORDER BY rowid').all(id) as DbCheck[]).map((c) => ({ phase: c.phase as CheckRow['phase'], url: c.url, ok: c.ok === 1, codes: c.codes === '' ? [] : c.codes.split(','), at: c.at }));
    return { ...toRun(row), plan: parse(row.plan_json), steps, backups, finedb, checks };
  }

  /** Finished runs older than the newest `keep` (their backup copies may be deleted). */
  prunable(keep: number): string[] {
    const rows = this.db.prepare("SELECT id FROM runs WHERE state != 'running' ORDER BY started_at DESC, rowid DESC").all() as { id: string }[];
    return rows.slice(keep).map((r) => r.id);
  }

  forgetBackups(runId: string): void {
    this.db.prepare('UPDATE backups SET stored_at = NULL WHERE run_id = ?').run(runId);
  }
}

interface DbRun {
  id: string;
  kind: string;
  of_run: string | null;
  state: string;
  method: string;
  profile: string;
  plan_sha256: string;
  plan_json: string;
  pid: number;
  host: string;
  started_at: string;
  finished_at: string | null;
  failed_step: string | null;
  outcome_json: string | null;
}
interface DbStep {
  seq: number;
  name: string;
  status: string;
  at: string;
  ms: number | null;
  detail_json: string | null;
}
interface DbBackup {
  seq: number;
  path: string;
  existed: number;
  sha256: string | null;
  size: number | null;
  mode: number | null;
  uid: number | null;
  gid: number | null;
  selinux: string | null;
  stored_at: string | null;
  restored: number;
}
interface DbFine {
  install: string;
  kind: string;
  backup_id: string;
  backup_path: string;
  rows_json: string;
}
interface DbCheck {
  phase: string;
  url: string;
  ok: number;
  codes: string;
  at: string;
}

function parse(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function toRun(r: DbRun): RunRow {
  return {
    id: r.id,
    kind: r.kind as RunKind,
    ofRun: r.of_run,
    state: r.state as RunState,
    method: r.method,
    profile: r.profile,
    planSha256: r.plan_sha256,
    pid: r.pid,
    host: r.host,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    failedStep: r.failed_step,
    outcome: parse(r.outcome_json),
  };
}
