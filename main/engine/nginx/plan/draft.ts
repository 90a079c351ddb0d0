import type { Lang } from '../../../../shared/contract/common.js';
import type { NginxPlanRequest } from '../../../../shared/contract/nginx.js';
import type { FineDbRowChange, PlannedCheck, PlanNote, PlanText, ServiceAction } from '../../../../shared/contract/plan.js';
import type { FilePort } from '../../ports/index.js';
import type { NginxTree } from '../load.js';
import type { Located, Where } from '../query.js';

/** What the profile steps contribute; the shared steps (owned file, include line, diffs, nginx -t) do the rest. */
export interface Draft {
  /** The tree being edited (a clone of what was read). */
  readonly work: NginxTree;
  /** Files of `work` changed in place, with why. */
  readonly touched: Map<string, PlanText>;
  /** Body of the owned include file, or null when the profile needs none. */
  owned: string[] | null;
  readonly notes: PlanNote[];
  readonly rows: FineDbRowChange[];
  readonly checks: PlannedCheck[];
  /** Services other than nginx (the product that must restart to read its rows). */
  readonly services: ServiceAction[];
  /**
   * Ports of the nginx servers the plan writes or edits, with the address they listen on (null:
   * every address): closed when nginx is stopped, answering when it is started.
   */
  readonly listens: Map<number, string | null>;
}

type Params = PlanNote['params'];

/** A note of the plan: rendered by hosts from plan.note.<code> and plan.note.<code>.fix. */
export const note = (code: string, severity: PlanNote['severity'], params: Params = {}, evidence: PlanNote['evidence'] = {}): PlanNote => ({ code, severity, params, evidence });

/** A sentence of the plan (a reason, what a check proves): an i18n key and its parameters. */
export const text = (code: string, params: Params = {}): PlanText => ({ code, params });

/** Everything a profile step may read or add to. */
export interface ProfileContext {
  readonly input: NginxPlanRequest;
  readonly lang: Lang;
  readonly tree: NginxTree;
  readonly work: NginxTree;
  readonly http: Located;
  readonly draft: Draft;
  /** The TLS lines of a new server (certificate, key, Mozilla intermediate); marks the certificate as used. */
  readonly tls: () => string[];
  /** True when those lines name a certificate the local CA issues at apply time (no --cert/--key). */
  readonly issuesCertificate: boolean;
  /** Whether the certificate those lines name covers a host name (or IP address). */
  readonly covers: (host: string) => boolean;
  /** proxy_read_timeout for every WebSocket location written: --read-timeout, else the profile's default. */
  readonly readTimeout: number;
  readonly ownedPath: string;
  /** Reads of files other than the configuration (the install's server.xml). */
  readonly fs: FilePort;
}

/** proxy_read_timeout written into WebSocket locations when --read-timeout is not given (nginx's own default, 60 s, closes idle WebSockets). */
export const PROFILE_READ_TIMEOUT: Readonly<Record<NginxPlanRequest['profile'], number>> = { finereport: 3600, generic: 3600, pool: 3600 };

export const where = (w: Where): string => `${w.file}:${w.line}`;

/** Server names a certificate can be issued for and a redirect can point at: no "_", no wildcard, no regex. */
export const concreteNames = (names: readonly string[]): string[] => [...new Set(names.filter((n) => n !== '_' && !n.includes('*') && !n.startsWith('~')).map((n) => n.toLowerCase()))];

/** A host name for check URLs: the first concrete server name, else localhost. */
export const checkHost = (names: readonly string[]): string => names.find((n) => n !== '_' && !n.includes('*') && !n.startsWith('~')) ?? 'localhost';
