// A TCP relay that adds a one-way delay to every chunk in both directions, keeping order:
// a stand-in for the network between an admin's machine and a cluster's nodes, which loopback
// does not have. Run as its own process so its timers do not share the measured event loop.
// argv: <one-way delay ms> <target host:port> <listen port>...   prints "ready" when listening.
import { createServer, connect } from 'node:net';

const [delayArg, target, ...listenPorts] = process.argv.slice(2);
const delay = Number(delayArg);
const [targetHost, targetPort] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];

function pipeDelayed(from, to) {
  let last = 0;
  from.on('data', (chunk) => {
    const at = Math.max(Date.now() + delay, last);
    last = at;
    setTimeout(() => to.writable && to.write(chunk), at - Date.now());
  });
  from.on('end', () => {
    const at = Math.max(Date.now() + delay, last);
    setTimeout(() => to.end(), at - Date.now());
  });
  from.on('error', () => to.destroy());
}

let pending = listenPorts.length;
for (const port of listenPorts) {
  const server = createServer((client) => {
    const upstream = connect({ host: targetHost, port: targetPort });
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    pipeDelayed(client, upstream);
    pipeDelayed(upstream, client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  server.listen(Number(port), '127.0.0.1', () => {
    pending -= 1;
    if (pending === 0) process.stdout.write('ready\n');
  });
}
