import { describe, expect, it } from 'vitest';
import type { DetectOutput } from '../../shared/contract/detect.js';
import { en } from '../../shared/i18n/en/index.js';
import { secretNames } from '../../renderer/src/wizard/secret-names.js';
import { INITIAL_STATE, loadState, saveState, withChange, type KeyValueStore, type WizardState } from '../../renderer/src/wizard/state.js';
import { certificateBlocker } from '../../renderer/src/wizard/steps/certificate/blocker.js';
import { prefillTarget, targetOfProduct } from '../../renderer/src/wizard/steps/detect/prefill.js';
import { filesForPlan } from '../../renderer/src/wizard/steps/certificate/use-files.js';
import { reviewBlocker } from '../../renderer/src/wizard/steps/review/blocker.js';
import { recommend, unavailable } from '../../renderer/src/wizard/steps/method/recommend.js';
import { planRequest } from '../../renderer/src/wizard/steps/settings/plan-input.js';

/** The wizard's decisions without a browser: recommendation, planner input and its problems, secrets asked at apply, resumable state. */
const found = (over: Partial<DetectOutput>): DetectOutput => ({ platform: 'linux', products: [], tomcats: [], nginx: [], apache: [], java: [], notes: [], ...over });
const product = (desktopEdition: boolean) => ({ dir: '/opt/FineReport', product: 'finereport' as const, version: '11.0', jarDate: null, containerWebSocket: false, finedb: 'embedded-hsqldb' as const, tomcatBase: null, desktopEdition });

function memoryStorage(initial: Record<string, string> = {}): KeyValueStore {
  const data = new Map(Object.entries(initial));
  return { getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
}

describe('wizard logic', () => {
  it('recommends nginx when there is one, refuses a desktop edition with its reason', () => {
    const nginx = { ...INITIAL_STATE, target: { ...INITIAL_STATE.target, nginxConf: '/etc/nginx/nginx.conf' } };
    expect(recommend(nginx)).toEqual({ method: 'nginx-proxy', reason: 'wizard.method.reason.nginx' });
    expect(recommend(INITIAL_STATE).method).toBe('tomcat-ssl');
    const desktop = { ...INITIAL_STATE, detected: found({ products: [product(true)] }) };
    expect(recommend(desktop)).toEqual({ method: null, reason: 'wizard.method.reason.desktop' });
    expect(unavailable(desktop, 'tomcat-ssl')).toBe('wizard.method.reason.desktop');
    expect(unavailable(INITIAL_STATE, 'nginx-proxy')).toBe('wizard.method.noNginx');
  });

  it('builds the planner input from what was typed only, and names the label of each field at fault', () => {
    const state: WizardState = {
      ...INITIAL_STATE,
      method: 'nginx-proxy',
      target: { ...INITIAL_STATE.target, nginxConf: '/etc/nginx/nginx.conf' },
      cert: { ...INITIAL_STATE.cert, mode: 'existing', names: 'reports.example.com\n', certPath: '/etc/ssl/r.crt', keyPath: '/etc/ssl/r.key' },
      settings: { ...INITIAL_STATE.settings, httpsPort: '8443' },
    };
    const ok = planRequest(state, {}, 'en');
    expect(ok.problems).toEqual([]);
    expect(ok.request).toEqual({ op: 'planNginxProxy', input: { profile: 'finereport', serverNames: ['reports.example.com'], httpsPort: 8443, certPath: '/etc/ssl/r.crt', keyPath: '/etc/ssl/r.key', redirectHttp: false, nginxConf: '/etc/nginx/nginx.conf', cors: false } });
    const bad = planRequest({ ...state, settings: { ...state.settings, httpsPort: '70000' }, cert: { ...state.cert, keyPath: 'r.key' } }, {}, 'en');
    expect(bad.request).toBeNull();
    expect(bad.problems).toEqual([
      { field: 'settings-httpsPort', text: 'HTTPS port: A port is a whole number from 1 to 65535.' },
      { field: 'cert-keyPath', text: 'Private key, PEM (absolute path): An absolute path starts with / (or a drive letter on Windows).' },
    ]);
    const zh = planRequest({ ...state, settings: { ...state.settings, httpsPort: 'x' } }, {}, 'zh-CN');
    expect(zh.problems[0]!.text).toBe('HTTPS 端口:端口是 1 到 65535 之间的整数。');
    const tomcat = planRequest({ ...state, method: 'tomcat-ssl', target: { ...state.target, catalinaBase: '/srv/tomcat' }, cert: { ...state.cert, keystore: '/srv/tomcat/conf/k.p12' } }, {}, 'en');
    expect(tomcat.problems).toEqual([{ field: 'cert-password', text: 'Keystore password: This field is required.' }]);
  });

  it('a certificate from the local CA is a choice the plan carries: no files are named, the planner plans to issue at Apply', () => {
    const state: WizardState = {
      ...INITIAL_STATE,
      method: 'nginx-proxy',
      target: { ...INITIAL_STATE.target, nginxConf: '/etc/nginx/nginx.conf' },
      // Left over from an earlier "existing files" choice: not sent once the local CA is chosen.
      cert: { ...INITIAL_STATE.cert, mode: 'issue', names: 'reports.example.com', certPath: '/etc/ssl/r.crt', keyPath: '/etc/ssl/r.key', keystore: '/srv/k.p12' },
    };
    const nginx = planRequest(state, {}, 'en');
    expect(nginx.problems).toEqual([]);
    expect(nginx.request).toEqual({ op: 'planNginxProxy', input: { profile: 'finereport', serverNames: ['reports.example.com'], redirectHttp: false, nginxConf: '/etc/nginx/nginx.conf', cors: false } });
    const apache = planRequest({ ...state, method: 'apache-proxy', target: { ...state.target, apacheConf: '/etc/apache2/apache2.conf' } }, {}, 'en');
    expect(apache.request?.input).not.toHaveProperty('certPath');
    expect(apache.request?.input).not.toHaveProperty('keyPath');
    const tomcat = planRequest({ ...state, method: 'tomcat-ssl', target: { ...state.target, catalinaBase: '/srv/tomcat' } }, { keystorePassword: 'secret-pw' }, 'en');
    expect(tomcat.problems).toEqual([]);
    expect(tomcat.request).toEqual({ op: 'planTomcatSsl', input: { catalinaBase: '/srv/tomcat', serverNames: ['reports.example.com'], keystorePassword: 'secret-pw' } });
    // Method one's redirect (web.xml CONFIDENTIAL constraint) is sent when ticked.
    const redirected = planRequest({ ...state, method: 'tomcat-ssl', target: { ...state.target, catalinaBase: '/srv/tomcat' }, settings: { ...state.settings, redirectHttp: true } }, { keystorePassword: 'secret-pw' }, 'en');
    expect(redirected.request?.input).toMatchObject({ catalinaBase: '/srv/tomcat', redirectHttp: true });
  });

  it('method one sends the WebSocket path to check when given, and names the field when it is not a usable path', () => {
    const state: WizardState = { ...INITIAL_STATE, method: 'tomcat-ssl', target: { ...INITIAL_STATE.target, catalinaBase: '/srv/tomcat' }, cert: { ...INITIAL_STATE.cert, mode: 'issue', names: 'localhost' } };
    const withPath = planRequest({ ...state, settings: { ...state.settings, wsPath: ' /examples/websocket/echoAnnotation ' } }, { keystorePassword: 'secret-pw' }, 'en');
    expect(withPath.problems).toEqual([]);
    expect(withPath.request?.input).toMatchObject({ wsPath: '/examples/websocket/echoAnnotation' });
    expect(planRequest(state, { keystorePassword: 'secret-pw' }, 'en').request?.input).not.toHaveProperty('wsPath');
    for (const wsPath of ['ws/echo', '/ws?token=1', '/a/../b']) {
      const bad = planRequest({ ...state, settings: { ...state.settings, wsPath } }, { keystorePassword: 'secret-pw' }, 'en');
      expect(bad.request, wsPath).toBeNull();
      expect(bad.problems.map((p) => p.field)).toEqual(['settings-wsPath']);
      expect(bad.problems[0]!.text).toContain('WebSocket path to check after Apply');
    }
    expect(planRequest({ ...state, settings: { ...state.settings, wsPath: '/ws?x' } }, { keystorePassword: 'secret-pw' }, 'zh-CN').problems[0]!.text).toContain('WebSocket 路径');
  });

  it('the certificate step says why Next is disabled: names, the local CA, the files, the keystore password', () => {
    const nginx: WizardState = { ...INITIAL_STATE, method: 'nginx-proxy' };
    const withNames = { ...nginx, cert: { ...nginx.cert, names: 'localhost' } };
    expect(certificateBlocker({ state: nginx, secrets: {} }, '/ca.crt')).toBe('wizard.why.names');
    expect(certificateBlocker({ state: withNames, secrets: {} }, null)).toBe('wizard.why.ca');
    expect(certificateBlocker({ state: withNames, secrets: {} }, undefined)).toBe('wizard.why.busy');
    expect(certificateBlocker({ state: withNames, secrets: {} }, '/ca.crt')).toBeNull();
    const existing = { ...nginx, cert: { ...nginx.cert, mode: 'existing' as const } };
    expect(certificateBlocker({ state: existing, secrets: {} }, null)).toBe('wizard.why.existing');
    expect(certificateBlocker({ state: { ...existing, cert: { ...existing.cert, certPath: '/c', keyPath: '/k' } }, secrets: {} }, null)).toBeNull();
    const tomcat = { ...withNames, method: 'tomcat-ssl' as const };
    expect(certificateBlocker({ state: tomcat, secrets: {} }, '/ca.crt')).toBe('wizard.why.password');
    expect(certificateBlocker({ state: tomcat, secrets: { keystorePassword: 'pw-123456' } }, '/ca.crt')).toBeNull();
  });

  it('Review says why Next is disabled: busy, no plan, a plan that issues from a local CA that does not exist', () => {
    const issuing = { certificates: [{ kind: 'issue', names: ['localhost'], outputs: {} }], notes: [], validations: [] } as unknown as Parameters<typeof reviewBlocker>[0];
    expect(reviewBlocker(null, true)).toBe('wizard.why.busy');
    expect(reviewBlocker(null, false)).toBe('wizard.why.plan');
    expect(reviewBlocker(issuing, false, null)).toBe('wizard.why.caReview');
    expect(reviewBlocker(issuing, false, undefined)).toBeNull();
    expect(reviewBlocker(issuing, false, '/data/ca/ca.crt')).toBeNull();
    expect(reviewBlocker({ ...issuing!, certificates: [] }, false, null)).toBeNull();
  });

  it('files the Certificates panel wrote (an import) become the step\'s existing files; a CSR and its key alone do not', () => {
    const pem = [
      { kind: 'certificate' as const, path: '/srv/c/server.crt', secret: false },
      { kind: 'key' as const, path: '/srv/c/server.key', secret: true },
    ];
    expect(filesForPlan(pem)).toEqual({ mode: 'existing', certPath: '/srv/c/server.crt', keyPath: '/srv/c/server.key', keystore: '' });
    expect(filesForPlan([...pem, { kind: 'pkcs12', path: '/srv/c/server.p12', secret: true }])).toEqual({ mode: 'existing', certPath: '/srv/c/server.crt', keyPath: '/srv/c/server.key', keystore: '/srv/c/server.p12' });
    expect(filesForPlan([{ kind: 'jks', path: '/srv/c/server.jks', secret: true }])).toEqual({ mode: 'existing', certPath: '', keyPath: '', keystore: '/srv/c/server.jks' });
    expect(filesForPlan([{ kind: 'csr', path: '/srv/c/server.csr', secret: false }, { kind: 'key', path: '/srv/c/server.key', secret: true }])).toBeNull();
  });

  it("the wizard's wording of a plan note replaces one the planner has, names fields and steps instead of CLI options, and takes the same params", () => {
    const catalog = en as Record<string, string>;
    const overrides = Object.keys(catalog).filter((k) => k.startsWith('wizard.note.'));
    expect(overrides.length).toBeGreaterThan(5);
    for (const key of overrides) {
      const planner = `plan.note.${key.slice('wizard.note.'.length)}`;
      expect(catalog[planner], planner).toBeDefined();
      expect(catalog[key], key).not.toMatch(/--[a-z]/);
      const params = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      for (const p of params(catalog[key]!)) expect(params(catalog[planner]!), `${key} {${p}}`).toContain(p);
    }
    // And every planner note that names a CLI option has the wizard's own wording (Review never shows an option).
    const naming = Object.keys(catalog).filter((k) => k.startsWith('plan.note.') && /--[a-z]/.test(catalog[k]!));
    expect(naming.filter((k) => catalog[`wizard.note.${k.slice('plan.note.'.length)}`] === undefined)).toEqual([]);
  });

  it('asks at apply for every secret the plan names (references and server.xml placeholders), not the kept ones', () => {
    const plan = { certificates: [{ outputs: { pkcs12: { password: { secretRef: 'keystorePassword' } } } }], fineDbRows: [{ after: { secretRef: 'databasePassword' } }], files: [{ content: '<Certificate certificateKeystorePassword="@@wss-setup-secret:keystorePassword@@" x="@@wss-setup-secret:keep:0@@"/>' }] };
    expect(secretNames(plan)).toEqual(['databasePassword', 'keystorePassword']);
  });

  it('resumes from the tab storage, ignores junk, and drops the plan when an earlier choice changes', () => {
    expect(loadState(memoryStorage({ 'wss-setup.wizard.v1': '{not json' }))).toBeNull();
    expect(loadState(memoryStorage({ 'wss-setup.wizard.v1': JSON.stringify({ step: 'nowhere' }) }))).toBeNull();
    const resumed = loadState(memoryStorage({ 'wss-setup.wizard.v1': JSON.stringify({ step: 'review', method: 'tomcat-ssl', settings: { httpsPort: '8443' } }) }));
    expect(resumed?.step).toBe('review');
    expect(resumed?.settings).toEqual({ ...INITIAL_STATE.settings, httpsPort: '8443' });
    const withPlan = { ...INITIAL_STATE, plan: {} as WizardState['plan'] };
    expect(withChange(withPlan, { step: 'apply' }).plan).not.toBeNull();
    expect(withChange(withPlan, { settings: INITIAL_STATE.settings }).plan).toBeNull();
  });

  it("keeps the last apply's finer lines with its run across a reload, and drops them with the plan", () => {
    const applyLines = { 'stop-services': [{ key: 'progress.apply.item.stopped', params: { service: 'nginx' }, message: 'nginx stopped' }] };
    const store = memoryStorage({});
    saveState(store, { ...INITIAL_STATE, step: 'apply', applyLines });
    expect(loadState(store)?.applyLines).toEqual(applyLines);
    expect(withChange({ ...INITIAL_STATE, applyLines }, { step: 'verify' }).applyLines).toEqual(applyLines);
    expect(withChange({ ...INITIAL_STATE, applyLines }, { method: 'nginx-proxy' }).applyLines).toBeNull();
  });

  it('picking one of several installs found makes it and its Tomcat the target; web server fields stay', () => {
    const tomcat = (base: string, home: string) => ({ home, base, version: '10.1', serverXml: `${base}/conf/server.xml`, connectors: [], java: null, runs: [], listening: [], owner: null });
    const other = { ...product(false), dir: '/opt/FineReport_11.0', tomcatBase: '/opt/FineReport_11.0' };
    const wanted = { ...product(false), dir: '/data/FineReport_10.0', tomcatBase: '/data/FineReport_10.0' };
    const detected = found({ products: [other, wanted], tomcats: [tomcat('/opt/FineReport_11.0', '/opt/FineReport_11.0'), tomcat('/data/FineReport_10.0', '/usr/share/tomcat10')] });
    const first = prefillTarget({ ...INITIAL_STATE.target, nginxConf: '/etc/nginx/nginx.conf' }, detected);
    expect(first.install).toBe('/opt/FineReport_11.0');
    expect(targetOfProduct(first, detected, wanted)).toEqual({ ...first, install: '/data/FineReport_10.0', catalinaBase: '/data/FineReport_10.0', catalinaHome: '/usr/share/tomcat10' });
    expect(targetOfProduct(first, found({ products: [wanted] }), wanted)).toMatchObject({ install: '/data/FineReport_10.0', catalinaBase: '/data/FineReport_10.0', catalinaHome: '' });
  });
});
