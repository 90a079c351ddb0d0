import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { IPC_CHANNELS } from '../../main/hosts/ipc/channels.js';
import { operationNames } from '../../shared/contract/index.js';
import { ALLOWED_PERMISSIONS, navigationAllowed, windowOptions } from '../../main/app/window-options.js';
import { INVOKE_CHANNEL, PROGRESS_CHANNEL, registerIpcHandlers, trustedSender, type IpcMainLike, type InvokeEventLike } from '../../main/hosts/ipc/register.js';
import { CONTENT_SECURITY_POLICY } from '../../main/hosts/security-policy.js';

// Electron's binary cannot run here; these tests pin the shell's security settings as data and
// exercise the IPC host's own logic (sender check, validation) with a recorder in place of ipcMain.
describe('window security options', () => {
  const options = windowOptions('/app/dist/main/preload/preload.cjs', operationNames);
  const web = options.webPreferences!;

  it('isolates and sandboxes the renderer with no Node access', () => {
    expect(web.contextIsolation).toBe(true);
    expect(web.sandbox).toBe(true);
    expect(web.nodeIntegration).toBe(false);
    expect(web.nodeIntegrationInWorker).toBe(false);
    expect(web.nodeIntegrationInSubFrames).toBe(false);
    expect(web.webSecurity).toBe(true);
    expect(web.allowRunningInsecureContent).toBe(false);
    expect(web.webviewTag).toBe(false);
    expect(web.additionalArguments).toEqual([`--wss-setup-operations=${operationNames.join(',')}`]);
  });

  it('grants no permissions and blocks navigation away from the app page', () => {
    expect(ALLOWED_PERMISSIONS.size).toBe(0);
    const page = 'file:///app/dist/renderer/index.html';
    expect(navigationAllowed(page, page)).toBe(true);
    expect(navigationAllowed('https://evil.example/', page)).toBe(false);
    expect(navigationAllowed('file:///etc/passwd', page)).toBe(false);
    expect(navigationAllowed('not a url', page)).toBe(false);
  });

  it('has a CSP without inline or eval script', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
  });
});

describe('IPC channels', () => {
  it('come from one table used by the preload and by ipcMain', async () => {
    expect(INVOKE_CHANNEL).toBe(IPC_CHANNELS.invoke);
    expect(PROGRESS_CHANNEL).toBe(IPC_CHANNELS.progress);
    // The preload exactly as scripts/build.mjs bundles it: it may require electron only, and it
    // uses the table's names (no name of its own).
    const out = await build({
      entryPoints: [fileURLToPath(new URL('../../main/preload/preload.ts', import.meta.url))],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      external: ['electron'],
      write: false,
      logLevel: 'silent',
    });
    const code = out.outputFiles[0]!.text;
    expect([...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1])).toEqual(['electron']);
    expect(code).toContain(JSON.stringify(IPC_CHANNELS.invoke));
    expect(code).toContain(JSON.stringify(IPC_CHANNELS.progress));
    expect(code.match(/wss-setup:[a-z]+/g)?.sort()).toEqual([IPC_CHANNELS.invoke, IPC_CHANNELS.progress].sort());
  });
});

describe('IPC host', () => {
  const page = 'file:///app/dist/renderer/index.html';
  function setup() {
    let listener: ((event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>) | undefined;
    const ipc: IpcMainLike = {
      handle: (channel, fn) => {
        expect(channel).toBe(INVOKE_CHANNEL);
        listener = fn;
      },
      removeHandler: () => (listener = undefined),
    };
    registerIpcHandlers(ipc, trustedSender(() => 7, page));
    return (event: InvokeEventLike, ...args: unknown[]) => listener!(event, ...args);
  }
  const sent: unknown[][] = [];
  const sender = (id: number) => ({ id, send: (...args: unknown[]) => void sent.push(args) });
  const ours: InvokeEventLike = { sender: sender(7), senderFrame: { url: `${page}#x` } };

  it('drops messages from other windows or pages', async () => {
    const invoke = setup();
    expect(await invoke({ sender: sender(8), senderFrame: { url: page } }, 'check', { urls: ['ws://127.0.0.1:1/'] }, 'en')).toMatchObject({ ok: false, error: { code: 'UNTRUSTED_SENDER' } });
    expect(await invoke({ sender: sender(7), senderFrame: { url: 'https://evil.example/' } }, 'check', {}, 'en')).toMatchObject({ ok: false, error: { code: 'UNTRUSTED_SENDER' } });
    expect(await invoke({ sender: sender(7), senderFrame: null }, 'check', {}, 'en')).toMatchObject({ ok: false, error: { code: 'UNTRUSTED_SENDER' } });
  });

  it('validates operation names and payloads with the contract schemas', async () => {
    const invoke = setup();
    expect(await invoke(ours, 'rm -rf', {}, 'en')).toMatchObject({ ok: false, error: { code: 'UNKNOWN_OPERATION' } });
    expect(await invoke(ours, '__proto__', {}, 'en')).toMatchObject({ ok: false, error: { code: 'UNKNOWN_OPERATION' } });
    const bad = (await invoke(ours, 'check', { urls: ['http://x/'] }, 'zh-CN')) as { ok: boolean; error: { code: string; message: string } };
    expect(bad.ok).toBe(false);
    expect(bad.error.code).toBe('INVALID_INPUT');
    expect(bad.error.message).toContain('http(s)');
    expect(bad.error.message).toContain('输入无效');
    const good = (await invoke(ours, 'check', { urls: ['wss://127.0.0.1:1/'], timeoutMs: 1000 }, 'en')) as { ok: boolean; value: { ok: boolean } };
    expect(good.ok).toBe(true);
    expect(good.value.ok).toBe(false);
  });

  it('answers input nested 100,000 levels deep with the error shape, never a rejection (issue 9 item 11)', async () => {
    const invoke = setup();
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    await expect(invoke(ours, 'check', { urls: deep }, 'en')).resolves.toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('refuses a program the renderer names that was neither detected nor confirmed (issue 9 item 9)', async () => {
    const invoke = setup();
    const result = await invoke(ours, 'finedbGet', { install: '/opt/FineReport', java: '/tmp/evil/java' }, 'en');
    expect(result).toMatchObject({ ok: false, error: { code: 'EXECUTABLE_NOT_CONFIRMED', evidence: { field: 'java', path: '/tmp/evil/java' } } });
  });

  it('sends progress steps back to the calling window, tagged with its request id', async () => {
    const invoke = setup();
    sent.length = 0;
    await invoke(ours, 'check', { urls: ['wss://127.0.0.1:1/', 'wss://127.0.0.1:2/'], timeoutMs: 1000 }, 'en', 'r42');
    expect(sent.map((args) => [args[0], args[1]])).toEqual([
      [PROGRESS_CHANNEL, 'r42'],
      [PROGRESS_CHANNEL, 'r42'],
    ]);
    expect(sent[1]![2]).toMatchObject({ operation: 'check', current: 2, total: 2 });
    sent.length = 0;
    await invoke(ours, 'check', { urls: ['wss://127.0.0.1:1/'], timeoutMs: 1000 }, 'en', 'bad id with spaces');
    expect(sent).toEqual([]);
  });
});
