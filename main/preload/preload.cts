// Sandboxed preload: exposes one function per engine operation as window.wssSetup.api.<name>.
// The list of operations comes from the main process (additionalArguments), so this file
// requires nothing but electron and stays tiny.
import electron = require('electron');

const CHANNEL = 'wss-setup:invoke';
const prefix = '--wss-setup-operations=';
const arg = process.argv.find((a) => a.startsWith(prefix));
const operations = arg === undefined ? [] : arg.slice(prefix.length).split(',').filter((name) => /^[A-Za-z][A-Za-z0-9]*$/.test(name));

const api: Record<string, (input: unknown, lang: string) => Promise<unknown>> = {};
for (const name of operations) {
  api[name] = (input, lang) => electron.ipcRenderer.invoke(CHANNEL, name, input, lang);
}

electron.contextBridge.exposeInMainWorld('wssSetup', { operations, api });
