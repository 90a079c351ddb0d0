import { createServer, type Server } from 'node:http';
import { Server as SocketIoServer } from 'socket.io';
import { WebSocketServer } from 'ws';

export interface Running {
  readonly port: number;
  close: () => Promise<void>;
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
}

function closer(server: Server, extra: () => void = () => undefined): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      extra();
      server.closeAllConnections();
      server.close(() => resolve());
    });
}

/**
 * A socket.io service standing in for FineReport's push service on its WebSocket
 * port (38888 in production; a free port here). Accepts engine.io 3 and 4 clients.
 */
export async function startSocketIo(port: number): Promise<Running> {
  const server = createServer((_req, res) => {
    res.writeHead(404).end();
  });
  const io = new SocketIoServer(server, { allowEIO3: true, transports: ['websocket', 'polling'], cors: { origin: false } });
  io.on('connection', (socket) => {
    socket.on('echo', (msg: unknown, ack?: (m: unknown) => void) => ack?.(msg));
  });
  await listen(server, port);
  return { port, close: closer(server, () => void io.close()) };
}

/** A plain WebSocket echo server (any path), also used at a socket.io URL to show SOCKETIO_NO_OPEN. */
export async function startEchoServer(port: number): Promise<Running> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>echo</title>');
  });
  const wss = new WebSocketServer({ server });
  wss.on('connection', (ws) => ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary })));
  await listen(server, port);
  return { port, close: closer(server, () => wss.close()) };
}

/** An application that serves pages for every path (the backend behind a location without Upgrade headers). */
export async function startPageServer(port: number): Promise<Running> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><html><head><title>Report</title></head><body>report page</body></html>');
  });
  await listen(server, port);
  return { port, close: closer(server) };
}
