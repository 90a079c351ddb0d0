import { statfsSync } from 'node:fs';
import type { CheckReport } from '../../../shared/contract/apply.js';
import { linkDestination, type Plan } from '../../../shared/contract/plan.js';
import type { OpContext } from '../common/context.js';
import { EngineError } from '../common/engine-error.js';
import { sha256Hex } from '../ports/index.js';
import { portAnswers, serviceStatus, type ServiceDeps } from '../services/index.js';
import { plannedBytes } from './bytes.js';
import { checkIssueForPlan, issuedPaths } from '../certs/index.js';
import { runChecksOnce } from './checks.js';
import { readLabel } from './selinux.js';
import type { ApplyDeps } from './types.js';

export interface FileBefore {
  readonly path: string;
  readonly exists: boolean;
  readonly bytes: Buffer | null;
  readonly mode: number | null;
  readonly uid: number | null;
  readonly gid: number | null;
  /** SELinux label, where SELinux labels files. */
  readonly selinux: string | null;
}

export interface PreflightResult {
  readonly files: readonly FileBefore[];
  /** The plan's checks as they answer before anything is touched (those that pass must pass again after a rollback). */
  readonly checksBefore: readonly CheckReport[];
}

export const serviceDepsOf = (ctx: OpContext): ServiceDeps => ({ process: ctx.ports.process, clock: ctx.ports.clock });

/**
 * Everything that can be known before anything is touched: the files still hold what the plan was
 * computed from (else "changed since planned"), the planned bytes match the plan's hashes, the
 * offline validation passes again on a temporary copy, what the plan asks is supported here, the
 * ports that must be free are free or held by a service the plan restarts, and the data folder has
 * room for the backups.
 */
export async function preflight(plan: Plan, ctx: OpContext, deps: ApplyDeps, secrets: Readonly<Record<string, string>> = {}): Promise<PreflightResult> {
  const files: FileBefore[] = [];
  const changed: { path: string; expected: string | null; found: string | null }[] = [];
  let total = 0;
  for (const edit of plan.files) {
    if (sha256Hex(plannedBytes(edit)) !== edit.afterSha256) throw new EngineError('APPLY_PLAN_CORRUPT', { path: edit.path }, { path: edit.path });
    const st = await ctx.ports.fs.lstat(edit.path);
    if (edit.action === 'link') {
      // A link is only ever made where nothing is, and only to a regular file of the tree (never through another link).
      const destination = linkDestination(edit.path, edit.linkTarget!);
      const to = await ctx.ports.fs.lstat(destination);
      if (st !== null) changed.push({ path: edit.path, expected: null, found: st.isSymbolicLink() ? `link:${(await ctx.ports.fs.readLink(edit.path)) ?? '?'}` : 'exists' });
      else if (to === null || !to.isFile()) changed.push({ path: destination, expected: 'file', found: to === null ? null : 'not a regular file' });
      files.push({ path: edit.path, exists: false, bytes: null, mode: null, uid: null, gid: null, selinux: null });
      continue;
    }
    if (st === null) {
      if (edit.beforeSha256 !== null) changed.push({ path: edit.path, expected: edit.beforeSha256, found: null });
      files.push({ path: edit.path, exists: false, bytes: null, mode: null, uid: null, gid: null, selinux: null });
      continue;
    }
    const bytes = await ctx.ports.fs.readFile(edit.path, { maxBytes: 64 * 1024 * 1024 });
    const found = sha256Hex(bytes);
    if (found !== edit.beforeSha256) changed.push({ path: edit.path, expected: edit.beforeSha256, found });
    files.push({ path: edit.path, exists: true, bytes, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, selinux: await readLabel(edit.path, ctx) });
    total += bytes.length;
  }
  if (changed.length > 0) throw new EngineError('APPLY_CHANGED_SINCE_PLANNED', { paths: changed.map((c) => c.path).join(', ') }, { files: changed });

  const unsupported = plan.certificates.find((c) => c.kind === 'import');
  if (unsupported !== undefined) throw new EngineError('APPLY_UNSUPPORTED', { what: `certificate:${unsupported.kind}` }, { certificate: unsupported.kind });
  // Certificates issued from the local CA at apply time: the CA is there, the outputs can be
  // written, and each output file is backed up like a planned file (or journaled as absent).
  for (const c of plan.certificates) {
    if (c.kind !== 'issue') continue;
    await checkIssueForPlan({ names: c.names, outputs: c.outputs, secrets }, ctx);
    for (const path of issuedPaths(c.outputs)) {
      if (files.some((f) => f.path === path)) continue;
      const st = await ctx.ports.fs.lstat(path);
      if (st === null) {
        files.push({ path, exists: false, bytes: null, mode: null, uid: null, gid: null, selinux: null });
        continue;
      }
      const bytes = await ctx.ports.fs.readFile(path, { maxBytes: 64 * 1024 * 1024 });
      files.push({ path, exists: true, bytes, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, selinux: await readLabel(path, ctx) });
      total += bytes.length;
    }
  }
  if (plan.fineDbRows.length > 0 && deps.finedb === null) throw new EngineError('APPLY_UNSUPPORTED', { what: 'finedb' }, {});
  for (const c of plan.certificates) {
    for (const path of [c.kind === 'use-existing' ? c.certPath : undefined, c.kind === 'use-existing' ? c.keyPath : undefined, c.kind === 'use-existing' ? c.keystorePath : undefined]) {
      if (path !== undefined && (await ctx.ports.fs.lstat(path)) === null) throw new EngineError('APPLY_CHANGED_SINCE_PLANNED', { paths: path }, { missing: path });
    }
  }

  for (const validate of deps.validators) {
    const result = await validate(plan, ctx, secrets);
    if (result !== null && !result.ok) throw new EngineError('APPLY_VALIDATION_FAILED', { tool: result.tool, output: result.output.slice(0, 2000) }, { tool: result.tool, output: result.output });
  }

  const sdeps = serviceDepsOf(ctx);
  const running = await Promise.all(plan.services.map(async (s) => (await serviceStatus({ ref: s.service, ready: s.ready }, sdeps)).running));
  for (const [i, s] of plan.services.entries()) {
    for (const p of s.mustBeFree) {
      if ((await portAnswers(p.host, p.port, 500)) && !running[i]) throw new EngineError('APPLY_PORT_IN_USE', { port: `${p.host}:${p.port}`, service: s.id }, { host: p.host, port: p.port });
    }
  }

  try {
    const fsStat = statfsSync(deps.dataDir);
    const free = fsStat.bavail * fsStat.bsize;
    if (free < total * 2 + 16 * 1024 * 1024) throw new EngineError('APPLY_NO_ROOM', { folder: deps.dataDir, needed: total * 2 + 16 * 1024 * 1024, free }, { free });
  } catch (error) {
    if (error instanceof EngineError) throw error;
    // The data folder does not exist yet: it is created with the journal; the space check is skipped.
  }

  const checksBefore = plan.checks.length > 0 ? await runChecksOnce(plan, ctx, deps, 3000) : [];
  return { files, checksBefore };
}
