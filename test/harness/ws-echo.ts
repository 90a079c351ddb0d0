import WebSocket from 'ws';

/** Opens `url` over wss trusting only `ca` (host name verified), sends `message` and returns the first answer. */
export function wssEcho(url: string, ca: Buffer, message: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { ca });
    ws.once('open', () => ws.send(message));
    ws.once('message', (data) => {
      resolve(data.toString());
      ws.close();
    });
    ws.once('error', reject);
  });
}
