import { describe, expect, it } from 'vitest';
import { guardApply } from '../../main/app/apply-guard.js';
import { elevationAtApply, serveArgv, serveUrlIn, shellQuote, type ElevationContext } from '../../main/app/elevation.js';
import { INVOKE_CHANNEL, type InvokeEventLike, type IpcMainLike } from '../../main/hosts/ipc/register.js';

const linuxUser: ElevationContext = { platform: 'linux', uid: 1000, execPath: '/opt/wss-setup/wss-setup', appPath: '/opt/wss-setup/resources/app.asar', isPackaged: true, pkexec: '/usr/bin/pkexec' };

describe('elevation at Apply (the decision; main/app/elevate.ts only acts on it)', () => {
  it('Windows and root need nothing (the NSIS manifest asks for administrator rights)', () => {
    expect(elevationAtApply({ ...linuxUser, platform: 'win32', uid: undefined })).toEqual({ kind: 'none' });
    expect(elevationAtApply({ ...linuxUser, uid: 0 })).toEqual({ kind: 'none' });
  });

  it('Linux without root relaunches serve mode of the installed program through pkexec', () => {
    expect(elevationAtApply(linuxUser)).toEqual({
      kind: 'relaunch',
      message: 'elevation.linux.pkexec',
      command: '/usr/bin/pkexec',
      args: ['/opt/wss-setup/wss-setup', '--serve', '--no-sandbox', '--ozone-platform=headless'],
      manual: 'sudo /opt/wss-setup/wss-setup --serve --no-sandbox --ozone-platform=headless',
    });
  });

  it('an AppImage is relaunched from its file (root cannot enter the user\'s FUSE mount)', () => {
    const d = elevationAtApply({ ...linuxUser, execPath: '/tmp/.mount_wssXYZ/wss-setup', appImage: '/home/admin/Apps/wss setup.AppImage' });
    expect(d.kind === 'relaunch' && d.args[0]).toBe('/home/admin/Apps/wss setup.AppImage');
    expect(d.kind === 'relaunch' && d.manual).toBe("sudo '/home/admin/Apps/wss setup.AppImage' --serve --no-sandbox --ozone-platform=headless");
  });

  it('development runs name the app folder after the electron binary', () => {
    expect(serveArgv({ ...linuxUser, isPackaged: false, execPath: '/w/node_modules/electron/dist/electron', appPath: '/w' })).toEqual(['/w/node_modules/electron/dist/electron', '/w', '--serve', '--no-sandbox', '--ozone-platform=headless']);
  });

  it('the root serve mode gets the programs the admin confirmed at start', () => {
    expect(serveArgv({ ...linuxUser, allowExec: ['/usr/bin/java', '/opt/x y.jar'] }).slice(-2)).toEqual(['--allow-exec=/usr/bin/java', '--allow-exec=/opt/x y.jar']);
  });

  it('without pkexec the admin is told the sudo command', () => {
    expect(elevationAtApply({ ...linuxUser, pkexec: null })).toEqual({ kind: 'tell', message: 'elevation.linux.sudo', manual: 'sudo /opt/wss-setup/wss-setup --serve --no-sandbox --ozone-platform=headless' });
  });

  it('quotes shell words and finds the token URL in serve mode\'s output', () => {
    expect(shellQuote("it's here")).toBe(`'it'\\''s here'`);
    expect(serveUrlIn('wss-setup is serving the wizard on http://127.0.0.1:41234/?token=abc_DEF-1')).toBe('http://127.0.0.1:41234/?token=abc_DEF-1');
    expect(serveUrlIn('wss-setup 向导已在 http://127.0.0.1:5/?token=x 上提供服务')).toBe('http://127.0.0.1:5/?token=x');
    expect(serveUrlIn('http://evil.example/?token=x')).toBeNull();
  });
});

describe('guardApply (the IPC side of elevation)', () => {
  function setup(answer: string | null, trusted = true) {
    const handlers = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>>();
    const ipc: IpcMainLike = { handle: (c, l) => void handlers.set(c, l), removeHandler: (c) => void handlers.delete(c) };
    const asked: string[] = [];
    const ran: unknown[] = [];
    const guarded = guardApply(ipc, () => trusted, async (lang) => (asked.push(lang), answer));
    guarded.handle(INVOKE_CHANNEL, async (_e, ...args) => (ran.push(args[0]), { ok: true, value: null }));
    const event = { sender: { id: 1, send: () => undefined }, senderFrame: { url: 'file:///x' } };
    return { call: (...args: unknown[]) => handlers.get(INVOKE_CHANNEL)!(event, ...args), asked, ran };
  }

  it('asks before a real apply; after a relaunch the renderer is told where the wizard went, and nothing is applied here', async () => {
    const s = setup('http://127.0.0.1:9/?token=t');
    const result = (await s.call('apply', { planText: '{}' }, 'zh-CN')) as { ok: boolean; error: { code: string; message: string } };
    expect(s.asked).toEqual(['zh-CN']);
    expect(s.ran).toEqual([]);
    expect(result).toMatchObject({ ok: false, error: { code: 'ELEVATION_RELAUNCHED' } });
    expect(result.error.message).toContain('http://127.0.0.1:9/?token=t');
    expect(result.error.message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('applies here when the admin continues, and never asks for a dry run, another operation or an untrusted sender', async () => {
    const s = setup(null);
    await s.call('apply', { planText: '{}' }, 'en');
    await s.call('apply', { planText: '{}', dryRun: true }, 'en');
    await s.call('check', { urls: [] }, 'en');
    expect(s.asked).toEqual(['en']);
    expect(s.ran).toEqual(['apply', 'apply', 'check']);
    const u = setup('http://127.0.0.1:9/?token=t', false);
    await u.call('apply', { planText: '{}' }, 'en');
    expect(u.asked).toEqual([]);
    expect(u.ran).toEqual(['apply']);
  });
});
