import * as z from './z.js';

/**
 * The Plan: everything a method would change, computed before anything is touched. One model
 * for every planner (nginx, Tomcat, Apache, FineDB) and the one input of apply. Pure JSON data:
 * no functions, no Dates, no secret values (secrets travel as references that apply resolves
 * from a file, an environment variable or a prompt), and no rendered text — every sentence a
 * person reads is a code + params that the host renders in the reader's language, so a plan
 * saved in English reads in Chinese. A saved plan.json is validated with {@link PlanSchema}
 * when it is read back ({@link parsePlan}). Kept free of Node so the renderer can use it.
 */
export const PLAN_VERSION = 2;

const Param = z.union([z.string(), z.number(), z.boolean()]);
const Params = z.record(z.string(), Param);
const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);
/** An absolute path in either platform's form (the plan may be read on another machine). */
const PlanPath = z.string().min(1).max(4096).refine((p) => !p.includes('\0') && (p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\')), { message: 'plan.invalid.path' });

/** A relative link text: no NUL, no backslash, not absolute, at most 1 KiB (where it leads is checked against the plan's tree). */
const LinkTarget = z.string().min(1).max(1024).refine((p) => !p.includes('\0') && !p.includes('\\') && !p.startsWith('/'), { message: 'plan.invalid.linkTarget' });

/** POSIX normalisation without Node (the renderer reads plans too): '.', '..' and repeated slashes folded. */
export function normalizePosix(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}

/** Where a planned link leads: its text resolved against the link's folder. */
export const linkDestination = (path: string, linkTarget: string): string => normalizePosix(`${path.slice(0, path.lastIndexOf('/'))}/${linkTarget}`);

/** A sentence for a person: an i18n key and its parameters. */
export const TextSchema = z.object({ code: z.string().min(1).max(200), params: Params.default({}) }).strict();
export type PlanText = z.infer<typeof TextSchema>;

/** Names a secret apply must obtain (file, environment variable or prompt); never the value. */
export const SecretRefSchema = z.object({ secretRef: z.string().regex(/^[A-Za-z][A-Za-z0-9.-]{0,63}$/) }).strict();
export type SecretRef = z.infer<typeof SecretRefSchema>;
export const isSecretRef = (value: unknown): value is SecretRef => typeof value === 'object' && value !== null && 'secretRef' in value;

export const FILE_KINDS = ['nginx', 'server-xml', 'web-xml', 'apache', 'properties', 'json', 'nmis', 'pem', 'other'] as const;
export const FILE_ENCODINGS = ['utf8', 'latin1', 'gbk', 'gb18030', 'utf16le'] as const;

export const FileEditSchema = z
  .object({
    /** Absolute path of the file to write (the real file, symlinks resolved). */
    path: PlanPath,
    /** 'link': a symbolic link created at `path` pointing to `linkTarget` (Debian's mods-enabled, as a2enmod makes them); never replaces anything. */
    action: z.enum(['create', 'modify', 'link']),
    kind: z.enum(FILE_KINDS),
    /** sha256 of the bytes the plan was computed from; null for a new file. Apply refuses if it changed. */
    beforeSha256: Sha256.nullable(),
    afterSha256: Sha256,
    /** The complete new content, decoded with `encoding`. */
    content: z.string(),
    encoding: z.enum(FILE_ENCODINGS),
    /** The file's line endings as found (new lines follow them). */
    lineEnding: z.enum(['lf', 'crlf', 'mixed']),
    /** Unified diff for the admin to read. */
    diff: z.string(),
    /** A file wss-setup owns (its header records the hash of its body). */
    owned: z.boolean(),
    /** Mode of a new file (octal as a number); a modified file keeps its mode and owner. */
    mode: z.number().int().min(0).max(0o7777).optional(),
    /** Only for action 'link': the link's text, relative to the link's folder (e.g. ../mods-available/ssl.load); it must stay inside the configuration tree. */
    linkTarget: LinkTarget.optional(),
    reason: TextSchema,
  })
  .strict()
  .superRefine((edit, issues) => {
    if ((edit.action === 'link') !== (edit.linkTarget !== undefined)) issues.addIssue({ code: 'custom', path: ['linkTarget'], message: 'plan.invalid.linkTarget' });
    // A link has no content of its own: nothing to hash but the empty string, nothing it replaces.
    if (edit.action === 'link' && (edit.content !== '' || edit.beforeSha256 !== null || edit.mode !== undefined)) issues.addIssue({ code: 'custom', path: ['content'], message: 'plan.invalid.linkContent' });
  });
export type FileEdit = z.infer<typeof FileEditSchema>;

export const CertOutputsSchema = z
  .object({
    pem: z.object({ certPath: PlanPath, keyPath: PlanPath }).strict().optional(),
    pkcs12: z.object({ path: PlanPath, password: SecretRefSchema }).strict().optional(),
    jks: z.object({ path: PlanPath, password: SecretRefSchema, alias: z.string().min(1).max(64) }).strict().optional(),
  })
  .strict();
export type CertOutputs = z.infer<typeof CertOutputsSchema>;

export const CertificateActionSchema = z.discriminatedUnion('kind', [
  /** Material the admin already has; nothing is written. */
  z
    .object({
      kind: z.literal('use-existing'),
      certPath: PlanPath.optional(),
      keyPath: PlanPath.optional(),
      keystorePath: PlanPath.optional(),
      keystoreFormat: z.enum(['PKCS12', 'JKS']).optional(),
    })
    .strict(),
  /** A server certificate issued by the local CA at apply time. */
  z.object({ kind: z.literal('issue'), names: z.array(z.string().min(1).max(253)).min(1).max(100), outputs: CertOutputsSchema }).strict(),
  /** Existing material converted to the outputs at apply time. */
  z
    .object({
      kind: z.literal('import'),
      source: z
        .object({ certPath: PlanPath.optional(), keyPath: PlanPath.optional(), chainPaths: z.array(PlanPath).optional(), pkcs12Path: PlanPath.optional(), jksPath: PlanPath.optional(), password: SecretRefSchema.optional() })
        .strict(),
      outputs: CertOutputsSchema,
    })
    .strict(),
]);
export type CertificateAction = z.infer<typeof CertificateActionSchema>;

const RowValue = z.union([z.string().max(8192), z.null(), SecretRefSchema]);

export const FineDbRowChangeSchema = z
  .object({
    /** The install the rows belong to (where FineDB is found). */
    install: PlanPath,
    product: z.enum(['finereport', 'finebi', 'finedatalink']),
    /** fine_conf_entity id, written exactly as the product reads it. */
    id: z.string().min(1).max(255),
    /** The value read at plan time (null: no row); absent when it could not be read then (the embedded database was in use) — apply reads and journals it before writing. */
    before: RowValue.optional(),
    /** The new value; null deletes the row. A secret is a reference. */
    after: RowValue,
    /** Seed 000: when a certificate is replaced, the WebSocket rows are reset before and written after it. */
    phase: z.enum(['before-certificates', 'after-certificates']),
    reason: TextSchema,
  })
  .strict();
export type FineDbRowChange = z.infer<typeof FineDbRowChangeSchema>;

const HostPort = z.object({ host: z.string().min(1).max(255), port: z.number().int().min(1).max(65535) }).strict();

export const ServiceRefSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('systemd'), unit: z.string().regex(/^[A-Za-z0-9@._:-]{1,255}$/) }).strict(),
  z.object({ kind: z.literal('sysv'), script: PlanPath }).strict(),
  z.object({ kind: z.literal('windows'), name: z.string().regex(/^[A-Za-z0-9 ._$-]{1,256}$/) }).strict(),
  /** nginx run from its binary: stopped with -s quit / a signal, started again with the same -p and -c. */
  z.object({ kind: z.literal('nginx'), binary: PlanPath, prefix: PlanPath.optional(), conf: PlanPath }).strict(),
  /** Tomcat / FineReport through catalina scripts; `user` is the account it runs as. */
  z.object({ kind: z.literal('catalina'), home: PlanPath, base: PlanPath, script: PlanPath.optional(), user: z.string().max(64).optional() }).strict(),
  z.object({ kind: z.literal('apache'), apachectl: PlanPath, conf: PlanPath.optional(), root: PlanPath.optional() }).strict(),
  /** A plain process: stopped by pid, started again with its command line (argv). */
  z.object({ kind: z.literal('process'), pid: z.number().int().min(1), argv: z.array(z.string().max(4096)).min(1).max(256), cwd: PlanPath.optional() }).strict(),
]);
export type ServiceRef = z.infer<typeof ServiceRefSchema>;

export const ServiceActionSchema = z
  .object({
    /** A stable id within the plan, e.g. "nginx", "finereport". */
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/),
    service: ServiceRefSchema,
    /** Seed 000: never reload; stop, confirm stopped, start, confirm ready. */
    action: z.literal('stop-start'),
    /** What proves "started": these ports answer (and the URL, when given, answers HTTP). */
    ready: z.array(HostPort.extend({ url: z.string().max(2048).optional() }).strict()).max(32),
    /** What proves "stopped": these ports are closed. */
    mustBeFree: z.array(HostPort).max(32),
    reason: TextSchema,
  })
  .strict();
export type ServiceAction = z.infer<typeof ServiceActionSchema>;

export const ValidationSchema = z
  .object({
    tool: z.enum(['nginx -t', 'configtest', 'apachectl -t', 'xml', 'none']),
    ok: z.boolean(),
    /** The tool's output with temporary paths mapped back to the real ones. */
    output: z.string().max(65536),
  })
  .strict();
export type PlanValidation = z.infer<typeof ValidationSchema>;

export const PlannedCheckSchema = z
  .object({
    /** A ws:// or wss:// URL for the live health check. Only checks that must pass after apply. */
    url: z.string().regex(/^wss?:\/\//).max(2048),
    proves: TextSchema,
    /** The page the WebSocket is opened from (mixed-content judgement). */
    origin: z.string().max(2048).optional(),
    /** A CA file the check trusts in addition to the system store (the local CA before clients trust it). */
    ca: PlanPath.optional(),
  })
  .strict();
export type PlannedCheck = z.infer<typeof PlannedCheckSchema>;

export const PlanNoteSchema = z
  .object({
    /** Rendered from plan.note.<code> and plan.note.<code>.fix. */
    code: z.string().regex(/^[A-Z][A-Z0-9_]{0,63}$/),
    severity: z.enum(['error', 'warning', 'info']),
    params: Params.default({}),
    evidence: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();
export type PlanNote = z.infer<typeof PlanNoteSchema>;

export const PLAN_METHODS = ['nginx-proxy', 'tomcat-ssl', 'apache-proxy', 'finedb-set'] as const;

export const PlanSchema = z
  .object({
    planVersion: z.literal(PLAN_VERSION),
    method: z.enum(PLAN_METHODS),
    profile: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/),
    /** ISO time the plan was computed. */
    createdAt: z.string().datetime(),
    /** What the plan was computed against (e.g. mainConf, confDir, catalinaBase, install). */
    target: z.object({ kind: z.enum(['nginx', 'tomcat', 'apache', 'finedb']), paths: z.record(z.string(), PlanPath) }).strict(),
    /** Files to create or rewrite, in the order they are written. */
    files: z.array(FileEditSchema).max(500),
    certificates: z.array(CertificateActionSchema).max(20),
    fineDbRows: z.array(FineDbRowChangeSchema).max(100),
    /** In stop order; started again in reverse. */
    services: z.array(ServiceActionSchema).max(20),
    /** The offline validations the plan passed before it was offered. */
    validations: z.array(ValidationSchema).max(20),
    checks: z.array(PlannedCheckSchema).max(500),
    notes: z.array(PlanNoteSchema).max(200),
  })
  .strict()
  .superRefine((plan, issues) => {
    // A link is only made inside the configuration tree it belongs to (Apache's ServerRoot), and leads only inside it.
    const root = plan.target.paths.serverRoot;
    for (const [i, edit] of plan.files.entries()) {
      if (edit.action !== 'link' || edit.linkTarget === undefined) continue;
      const inside = (p: string) => root !== undefined && root.startsWith('/') && normalizePosix(p).startsWith(`${normalizePosix(root)}/`);
      if (!inside(edit.path) || !inside(linkDestination(edit.path, edit.linkTarget))) issues.addIssue({ code: 'custom', path: ['files', i, 'linkTarget'], message: 'plan.invalid.linkOutsideTree' });
    }
  });
export type Plan = z.infer<typeof PlanSchema>;
export type PlanInput = z.input<typeof PlanSchema>;

export type PlanParseError =
  | { readonly code: 'PLAN_TRUNCATED' | 'PLAN_NOT_JSON'; readonly params: { readonly detail: string } }
  | { readonly code: 'PLAN_VERSION'; readonly params: { readonly found: string; readonly expected: number } }
  | { readonly code: 'PLAN_SECRET_VALUE'; readonly params: { readonly where: string } }
  | { readonly code: 'PLAN_INVALID'; readonly params: { readonly where: string; readonly detail: string } };

/** Field names under which a plan may only ever hold a reference, never a value. */
const SECRET_FIELDS = /^(password|passphrase|keyStorePassword|keystorePass|databasePassword|secret|privateKey)$/i;
const SECRET_ROW = /password|passphrase|secret/i;

function secretValueAt(value: unknown, path: string[]): string | null {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = secretValueAt(value[i], [...path, String(i)]);
      if (found !== null) return found;
    }
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  for (const [key, child] of Object.entries(record)) {
    if (SECRET_FIELDS.test(key) && typeof child === 'string') return [...path, key].join('.');
    const found = secretValueAt(child, [...path, key]);
    if (found !== null) return found;
  }
  // A FineDB row whose key names a secret must carry a reference.
  if (typeof record.id === 'string' && SECRET_ROW.test(record.id)) {
    for (const field of ['before', 'after'] as const) if (typeof record[field] === 'string' && record[field] !== '') return [...path, field].join('.');
  }
  return null;
}

/** True when the text stops inside an object, array or string: a file cut off while written or copied. */
function endsInsideValue(text: string): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
  }
  return inString || depth > 0;
}

/** Reads a saved plan: JSON, the version, no secret values, then the schema. Never throws. */
export function parsePlan(text: string): { readonly ok: true; readonly plan: Plan } | { readonly ok: false; readonly error: PlanParseError } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const truncated = text.trim().length === 0 || endsInsideValue(text);
    return { ok: false, error: { code: truncated ? 'PLAN_TRUNCATED' : 'PLAN_NOT_JSON', params: { detail: detail.slice(0, 200) } } };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, error: { code: 'PLAN_INVALID', params: { where: '(top)', detail: 'not an object' } } };
  const version = (raw as { planVersion?: unknown; version?: unknown }).planVersion ?? (raw as { version?: unknown }).version;
  if (version !== PLAN_VERSION) return { ok: false, error: { code: 'PLAN_VERSION', params: { found: String(version ?? 'none'), expected: PLAN_VERSION } } };
  const secret = secretValueAt(raw, []);
  if (secret !== null) return { ok: false, error: { code: 'PLAN_SECRET_VALUE', params: { where: secret } } };
  const parsed = PlanSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, error: { code: 'PLAN_INVALID', params: { where: issue.path.join('.') || '(top)', detail: issue.message.slice(0, 300) } } };
  }
  return { ok: true, plan: parsed.data };
}

/** The nginx-style "was anything changed" answer every planner gives. */
export const planChangesSomething = (plan: Plan): boolean => plan.files.length > 0 || plan.fineDbRows.some((r) => r.before === undefined || JSON.stringify(r.before) !== JSON.stringify(r.after)) || plan.certificates.some((c) => c.kind !== 'use-existing');
