// A TCP relay that adds a one-way delay to every chunk in both directions, keeping order:
// a stand-in for the network between an admin's machine and a cluster's nodes, which loopback
// does not have. Run as its own process so its timers do not share the measured event loop.
// argv: <one-way delay ms> <target host:port> <listen port>...   prints "ready" when listening.
import { createServer, connect } from 'node:net';

const [delayArg, target, ...listenPorts] = process.argv.slice(2);
const delay = Number(delayArg);
const [targetHost, targetPort] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];

// One queue and one timer per direction: chunks leave in the order they came. (A timer per chunk
// could reorder them: Node keeps timers in lists per duration, and two lists due in the same
// millisecond fire in no fixed order — a TLS record swapped that way fails with "bad record mac".)
function pipeDelayed(from, to) {
  const queue = [];
  let timer = null;
  let ended = false;
  const flush = () => {
    timer = null;
    const now = Date.now();
    while (queue.length > 0 && queue[0].at <= now) {
      const { chunk } = queue.shift();
      if (chunk === null) to.end();
      else if (to.writable) to.write(chunk);
    }
    if (queue.length > 0) timer = setTimeout(flush, queue[0].at - now);
  };
  const push = (chunk) => {
    queue.push({ at: Date.now() + delay, chunk });
    if (timer === null) timer = setTimeout(flush, queue[0].at - Date.now());
  };
  from.on('data', (chunk) => push(chunk));
  from.on('end', () => {
    if (!ended) push(null);
    ended = true;
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
