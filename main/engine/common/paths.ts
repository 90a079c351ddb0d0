import { homedir } from 'node:os';
import { join } from 'node:path';

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

/** Root of the installed package (where dist/ and resources/ live). */
export function packageRoot(): string {
  // This file is main/engine/common/paths.ts (source) or dist/main/engine/common/paths.js (built).
  const here = new URL('.', import.meta.url).pathname;
  const marker = here.lastIndexOf('/main/engine/common/');
  const root = here.slice(0, marker);
  return root.endsWith('/dist') ? root.slice(0, -'/dist'.length) : root;
}
