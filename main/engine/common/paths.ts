import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The app's data directory (local CA, journal, backups). WSS_SETUP_DATA_DIR overrides it
 * (tests, portable installs). Linux: $XDG_DATA_HOME/wss-setup or ~/.local/share/wss-setup;
 * Windows: %APPDATA%\wss-setup; macOS: ~/Library/Application Support/wss-setup.
 */
export function dataDir(env: Readonly<Record<string, string | undefined>> = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.WSS_SETUP_DATA_DIR) return env.WSS_SETUP_DATA_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'wss-setup');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'wss-setup');
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'wss-setup');
}

let root: string | undefined;

/**
 * Root of the installed package (where dist/ and resources/ live): the nearest folder above
 * this module whose package.json is ours. Works from the sources, tsc output and the bundle.
 */
export function packageRoot(): string {
  if (root !== undefined) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'wss-setup') return (root = dir);
      } catch {
        // not ours; keep looking
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('wss-setup package root not found');
    dir = parent;
  }
}
