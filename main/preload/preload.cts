// Sandboxed preload: exposes one function per engine operation as window.wssSetup.api.<name>.
// The list of operations comes from the main process (additionalArguments), so this file
// requires nothing but electron and stays tiny.
import electron = require('electron');

const CHANNEL = 'wss-setup:invoke';
const PROGRESS = 'wss-setup:progress';
let nextId = 0;
const prefix = '--wss-setup-operations=';
const arg = process.argv.find((a) => a.startsWith(prefix));
const operations = arg === undefined ? [] : arg.slice(prefix.length).split(',').filter((name) => /^[A-Za-z][A-Za-z0-9]*$/.test(name));

type OnProgress = (event: unknown) => void;
const api: Record<string, (input: unknown, lang: string, onProgress?: OnProgress) => Promise<unknown>> = {};
for (const name of operations) {
  api[name] = (input, lang, onProgress) => {
    if (typeof onProgress !== 'function') return electron.ipcRenderer.invoke(CHANNEL, name, input, lang);
    const id = `r${(nextId += 1)}`;
    const listener = (_event: unknown, requestId: unknown, progress: unknown) => {
      if (requestId === id) onProgress(progress);
    };
    electron.ipcRenderer.on(PROGRESS, listener);
    return electron.ipcRenderer.invoke(CHANNEL, name, input, lang, id).finally(() => electron.ipcRenderer.removeListener(PROGRESS, listener));
  };
}

electron.contextBridge.exposeInMainWorld('wssSetup', { operations, api });
