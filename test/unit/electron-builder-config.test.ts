import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const config = JSON.parse(readFileSync(new URL('../../electron-builder.json', import.meta.url), 'utf8')) as Record<string, unknown> & { electronFuses?: Record<string, unknown> };

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
});
