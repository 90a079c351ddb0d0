// Sandboxed preload: exposes one function per engine operation as window.wssSetup.api.<name>.
// The list of operations comes from the main process (additionalArguments); the channel names
// come from the one table in main/hosts/ipc/channels.ts. A sandboxed preload can require only
// electron, so scripts/build.mjs bundles this file (esbuild, CommonJS) into dist/main/preload/preload.cjs.
import { contextBridge, ipcRenderer } from 'electron';
import { IPC_CHANNELS, OPERATIONS_ARGUMENT } from '../hosts/ipc/channels.js';

let nextId = 0;
const arg = process.argv.find((a) => a.startsWith(OPERATIONS_ARGUMENT));
const operations = arg === undefined ? [] : arg.slice(OPERATIONS_ARGUMENT.length).split(',').filter((name) => /^[A-Za-z][A-Za-z0-9]*$/.test(name));

type OnProgress = (event: unknown) => void;
const api: Record<string, (input: unknown, lang: string, onProgress?: OnProgress) => Promise<unknown>> = {};
for (const name of operations) {
  api[name] = (input, lang, onProgress) => {
    if (typeof onProgress !== 'function') return ipcRenderer.invoke(IPC_CHANNELS.invoke, name, input, lang);
    const id = `r${(nextId += 1)}`;
    const listener = (_event: unknown, requestId: unknown, progress: unknown) => {
      if (requestId === id) onProgress(progress);
    };
    ipcRenderer.on(IPC_CHANNELS.progress, listener);
    return ipcRenderer.invoke(IPC_CHANNELS.invoke, name, input, lang, id).finally(() => ipcRenderer.removeListener(IPC_CHANNELS.progress, listener));
  };
}

contextBridge.exposeInMainWorld('wssSetup', { operations, api });
