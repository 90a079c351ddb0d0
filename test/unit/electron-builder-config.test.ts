import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { BRIDGE_RESOURCE, packagedBridgeJar } from '../../main/app/packaged-paths.js';

const require = createRequire(import.meta.url);
interface FileSet { from: string; to: string }
const config = JSON.parse(readFileSync(new URL('../../electron-builder.json', import.meta.url), 'utf8')) as Record<string, unknown> & {
  electronFuses?: Record<string, unknown>;
  files: string[];
  extraResources: FileSet[];
  linux: { target: string[] };
  win: { target: string[]; requestedExecutionLevel: string };
  deb: { depends: string[] };
};
const { minimatch } = require('minimatch') as { minimatch: (path: string, pattern: string, options?: object) => boolean };

/** Whether electron-builder's `files` patterns (later negations win) take a path into app.asar. */
function packed(path: string): boolean {
  let included = false;
  for (const pattern of config.files) {
    if (pattern.startsWith('!')) {
      if (minimatch(path, pattern.slice(1), { dot: true })) included = false;
    } else if (minimatch(path, pattern, { dot: true })) included = true;
  }
  return included;
}

// The installer's Electron fuses (issue 9 item 16): flipped in the binary at packaging time, so a
// local user cannot turn the installed app into a Node interpreter running as its user (or root).
describe('electron-builder.json', () => {
  it('sets the security fuses', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
    // ASAR integrity and only-load-from-ASAR mean nothing without an ASAR archive.
    expect(config.asar).not.toBe(false);
  });

  it("is valid for the installed electron-builder (a misspelt fuse or option fails here, not at release time)", () => {
    const Ajv = require('ajv') as new (options: object) => { compile(schema: object): ((data: unknown) => boolean) & { errors?: unknown } };
    const schema = require('app-builder-lib/scheme.json') as object;
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    const valid = validate(config);
    expect(validate.errors ?? null).toBeNull();
    expect(valid).toBe(true);
  });

  it('builds NSIS for Windows and AppImage + deb for Linux; Windows asks for administrator rights (see main/app/elevation.ts)', () => {
    expect(config.win.target).toEqual(['nsis']);
    expect(config.win.requestedExecutionLevel).toBe('requireAdministrator');
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    // A custom depends list replaces electron-builder's defaults: the GUI libraries must stay in it.
    expect(config.deb.depends).toEqual(expect.arrayContaining(['libgtk-3-0', 'libnss3', 'libatspi2.0-0']));
    expect(config.deb.depends.some((d) => /java-runtime/.test(d))).toBe(true);
  });

  it('ships the JDBC bridge jar beside app.asar where the packaged app looks for it', () => {
    const jar = config.extraResources.find((r) => r.from === 'dist/resources/jdbc-bridge.jar');
    expect(jar).toBeDefined();
    expect(jar!.to).toBe(BRIDGE_RESOURCE);
    expect(packagedBridgeJar('/opt/wss-setup/resources')).toBe('/opt/wss-setup/resources/jdbc-bridge.jar');
    // Never inside the archive (java cannot open a jar in app.asar).
    expect(packed('dist/resources/jdbc-bridge.jar')).toBe(false);
  });

  it('packs the renderer, the Electron shell, its preload, the engine and package.json (serve mode finds its root by it)', () => {
    for (const path of ['dist/renderer/index.html', 'dist/renderer/assets/index-abc123.js', 'dist/main/app/main.js', 'dist/main/preload/preload.cjs', 'dist/main/engine/run-operation.js', 'dist/shared/i18n/index.js', 'package.json']) {
      expect(packed(path), path).toBe(true);
    }
    expect(packed('dist/main/app/main.js.map')).toBe(false);
    // package.json's main is the packed Electron shell.
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { main: string };
    expect(packed(manifest.main)).toBe(true);
  });
});
