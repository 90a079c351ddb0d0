// Reference for bench:check: the least a Node client does to prove a WebSocket works —
// open (TLS verified against the given CA) and one echo — with nothing else loaded.
// With "open" as third argument it only opens (the reference for an endpoint that never echoes).
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';

const [url, caFile, mode] = process.argv.slice(2);
const ws = new WebSocket(url, { ca: caFile ? readFileSync(caFile) : undefined, perMessageDeflate: false });
ws.on('open', () => {
  if (mode === 'open') {
    ws.terminate();
    process.exit(0);
  }
  ws.send('ping');
});
ws.on('message', () => {
  ws.terminate();
  process.exit(0);
});
ws.on('error', (error) => {
  console.error(error.message);
  process.exit(1);
});
