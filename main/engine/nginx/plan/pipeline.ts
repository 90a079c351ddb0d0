import type { NginxPlanOutput, NginxPlanRequest } from '../../../../shared/contract/nginx.js';
import { PLAN_VERSION, type Plan, type PlanValidation, type ServiceAction } from '../../../../shared/contract/plan.js';
import { join } from 'node:path';
import type { OpContext } from '../../common/context.js';
import { EngineError } from '../../common/engine-error.js';
import { cloneTree } from '../edit.js';
import { findHttp } from '../query.js';
import { PlannedCertificate } from './certificate.js';
import { checkEdits } from './check-edits.js';
import { note, PROFILE_READ_TIMEOUT, text, type Draft, type ProfileContext } from './draft.js';
import { ownedFile, touchedFiles } from './files.js';
import { planFineReport } from './profile-finereport.js';
import { planGeneric } from './profile-generic.js';
import { planPool } from './profile-pool.js';
import { readTree } from './read-tree.js';

/**
 * The `planNginxProxy` operation, as a pipeline: read the tree; choose the certificate; let the
 * profile add servers, locations, rows, checks and notes to a draft; write the owned file and its
 * include line; diff every changed file; validate with nginx -t; assemble the plan. Nothing is written.
 */
export async function planNginxProxy(input: NginxPlanRequest, ctx: OpContext): Promise<NginxPlanOutput> {
  const lang = ctx.lang;
  const tree = await readTree(input.nginxConf, lang, ctx.ports.fs);
  const work = cloneTree(tree);
  const http = findHttp(work);
  if (http === null) throw new EngineError('NGINX_NO_HTTP_BLOCK', { file: tree.mainPath }, { file: tree.mainPath });
  const name = input.name ?? input.profile;
  const ownedPath = join(tree.confDir, 'wss-setup', `${name}.conf`);
  const certificate = await PlannedCertificate.choose(input, tree.confDir, name, lang, ctx.ports.fs);

  const draft: Draft = { work, touched: new Map(), owned: null, notes: [], rows: [], checks: [], services: [], listens: new Map() };
  const c: ProfileContext = {
    input,
    lang,
    tree,
    work,
    http,
    draft,
    tls: () => certificate.tls(),
    covers: (host) => certificate.covers(host),
    issuesCertificate: !certificate.given,
    readTimeout: input.readTimeoutSeconds ?? PROFILE_READ_TIMEOUT[input.profile],
    ownedPath,
    fs: ctx.ports.fs,
  };
  switch (input.profile) {
    case 'finereport':
      await planFineReport(input, c);
      break;
    case 'generic':
      planGeneric(input, c);
      break;
    case 'pool':
      planPool(input, c);
      break;
    default: {
      const never: never = input;
      throw new Error(`unknown profile ${String(never)}`);
    }
  }
  const cert = certificate.outcome();
  draft.notes.unshift(...cert.notes.first);
  draft.notes.push(...cert.notes.last);

  const owned = await ownedFile(draft, tree, http, input.profile, ownedPath, `wss-setup/${name}.conf`, ctx.ports.fs);
  const inPlace = touchedFiles(draft, tree);
  const edits = [...(owned?.edit ? [owned.edit] : []), ...inPlace.edits];
  const overrides = new Map(inPlace.texts);
  if (owned !== null) overrides.set(ownedPath, owned.text);

  const validations: PlanValidation[] = [];
  const services: ServiceAction[] = [...draft.services];
  if (edits.length > 0) {
    const checked = await checkEdits(tree, overrides, input.nginxBin, cert.pending, ctx.ports);
    validations.push(checked.validation);
    // Probed where the server listens; a server on every address answers on loopback.
    const ports = [...draft.listens].sort(([a], [b]) => a - b).map(([port, address]) => ({ host: (address ?? '127.0.0.1').replace(/^\[|\]$/g, ''), port }));
    services.unshift({ id: 'nginx', service: { kind: 'nginx', binary: checked.nginxBin, conf: tree.mainPath }, action: 'stop-start', ready: ports, mustBeFree: ports, reason: text('plan.reason.nginxRestart') });
  } else draft.notes.push(note('NO_CHANGES', 'info'));

  const plan: Plan = {
    planVersion: PLAN_VERSION,
    method: 'nginx-proxy',
    profile: input.profile,
    createdAt: ctx.ports.clock.now().toISOString(),
    target: { kind: 'nginx', paths: { mainConf: tree.mainPath, confDir: tree.confDir } },
    files: edits,
    certificates: cert.actions,
    fineDbRows: draft.rows,
    services,
    validations,
    checks: draft.checks,
    notes: draft.notes,
  };
  return { plan, changed: edits.length > 0 };
}
