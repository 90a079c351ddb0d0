/** The journal's tables (SQLite). Version bumps add statements; old rows are never rewritten. */
export const SCHEMA_VERSION = 1;

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS runs (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,              -- apply | rollback | recover
  of_run TEXT,                     -- the run a rollback/recover undoes
  state TEXT NOT NULL,             -- running | applied | rolled-back | rollback-incomplete | refused | reverted | dry-run
  method TEXT NOT NULL,
  profile TEXT NOT NULL,
  plan_sha256 TEXT NOT NULL,
  plan_json TEXT NOT NULL,         -- the plan (secrets are references by schema)
  pid INTEGER NOT NULL,
  host TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  failed_step TEXT,
  outcome_json TEXT
);
CREATE TABLE IF NOT EXISTS steps (
  run_id TEXT NOT NULL REFERENCES runs(id),
  seq INTEGER NOT NULL,
  name TEXT NOT NULL,
  status TEXT NOT NULL,            -- started | done | failed | skipped
  at TEXT NOT NULL,
  ms INTEGER,
  detail_json TEXT,
  PRIMARY KEY (run_id, seq)
);
CREATE TABLE IF NOT EXISTS backups (
  run_id TEXT NOT NULL REFERENCES runs(id),
  seq INTEGER NOT NULL,
  path TEXT NOT NULL,
  existed INTEGER NOT NULL,
  sha256 TEXT,
  size INTEGER,
  mode INTEGER,
  uid INTEGER,
  gid INTEGER,
  selinux TEXT,
  stored_at TEXT,                  -- the copy under <data>/backups/apply/<run>/ (null for a file that did not exist)
  restored INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (run_id, seq)
);
CREATE TABLE IF NOT EXISTS finedb (
  run_id TEXT NOT NULL REFERENCES runs(id),
  install TEXT NOT NULL,
  kind TEXT NOT NULL,              -- files (embedded HSQLDB / SQLite copied) | rows (external: old values)
  backup_id TEXT NOT NULL,         -- finedb's own backup (0600 files; a secret old value is only there)
  backup_path TEXT NOT NULL,
  rows_json TEXT NOT NULL,         -- [{ id, existed, value | "(secret)" }]
  PRIMARY KEY (run_id, install)
);
CREATE TABLE IF NOT EXISTS checks (
  run_id TEXT NOT NULL REFERENCES runs(id),
  phase TEXT NOT NULL,             -- before | after | after-rollback
  url TEXT NOT NULL,
  ok INTEGER NOT NULL,
  codes TEXT NOT NULL,             -- finding codes, comma separated
  at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_started ON runs(started_at);
`;
