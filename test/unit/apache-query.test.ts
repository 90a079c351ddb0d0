import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTree, type ApacheTree } from '../../main/engine/apache/load.js';
import { aliasMatch, selectProxyPass, selectVirtualHost, virtualHosts } from '../../main/engine/apache/query.js';
import { APACHE_BIN, apacheAvailable } from '../harness/apache.js';
import { tempDir } from '../harness/temp.js';

const dir = tempDir('wss-setup-apache-query-');
afterAll(() => dir.cleanup());
let counter = 0;

async function treeOf(text: string): Promise<{ tree: ApacheTree; path: string; root: string }> {
  const root = join(dir.path, `t${counter++}`);
  mkdirSync(root, { recursive: true });
  const path = join(root, 'httpd.conf');
  writeFileSync(path, text);
  const loaded = await loadTree(path, { version: '2.4.71' });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problem));
  return { tree: loaded.tree, path, root };
}

const VHOSTS = `Listen 127.0.0.1:18080
<VirtualHost *:18080>
  ServerName a.example.com
</VirtualHost>
<VirtualHost *:18080>
  ServerName b.example.com
  ServerAlias *.b.example.org www.b?.example.net
</VirtualHost>
<VirtualHost 127.0.0.1:18080>
  ServerName ip.example.com
</VirtualHost>
<VirtualHost *>
  ServerName anyport.example.com
</VirtualHost>
<VirtualHost _default_:18443>
  ServerName https://secure.example.com:18443
  SSLEngine on
</VirtualHost>
`;

describe('which VirtualHost answers host:port', () => {
  it('name-based: ServerName, then ServerAlias wildcards, in configuration order; the first of the address:port is the default', async () => {
    const { tree } = await treeOf(VHOSTS);
    const pick = (host: string, port: number, address?: string) => {
      const m = selectVirtualHost(tree, { host, port, ...(address !== undefined ? { address } : {}) });
      return m === null ? null : [m.vhost.serverName, m.how];
    };
    expect(pick('a.example.com', 18080)).toEqual(['a.example.com', 'name']);
    expect(pick('B.Example.com.', 18080)).toEqual(['b.example.com', 'name']);
    expect(pick('x.b.example.org', 18080)).toEqual(['b.example.com', 'alias']);
    expect(pick('www.b7.example.net', 18080)).toEqual(['b.example.com', 'alias']);
    expect(pick('unknown.example.com', 18080)).toEqual(['a.example.com', 'default']);
    // A connection to the exact address is answered by the IP-based vhost, whatever the name.
    expect(pick('a.example.com', 18080, '127.0.0.1')).toEqual(['ip.example.com', 'default']);
    // No port: any port; _default_ is *; ServerName may carry scheme and port.
    expect(pick('anything', 9999)).toEqual(['anyport.example.com', 'default']);
    expect(pick('secure.example.com', 18443)).toEqual(['secure.example.com', 'name']);
    expect(virtualHosts(tree).find((v) => v.serverName === 'secure.example.com')!.ssl).toBe(true);
  });

  it('no vhost for the port: the main server answers (null)', async () => {
    const { tree } = await treeOf('Listen 80\n<VirtualHost *:80>\n ServerName a\n</VirtualHost>\n');
    expect(selectVirtualHost(tree, { host: 'a', port: 443 })).toBeNull();
  });

  it.runIf(apacheAvailable())('agrees with apache2 -t -D DUMP_VHOSTS on the default server of each address:port', async () => {
    const root = join(dir.path, 'dump');
    mkdirSync(root, { recursive: true });
    const path = join(root, 'httpd.conf');
    const preamble = `LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so\nLoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so\nLoadModule ssl_module /usr/lib/apache2/modules/mod_ssl.so\nLoadModule socache_shmcb_module /usr/lib/apache2/modules/mod_socache_shmcb.so\nServerName main.example.com\nPidFile ${root}/pid\nErrorLog ${root}/error.log\nDefaultRuntimeDir ${root}\nMutex file:${root} default\n`;
    writeFileSync(path, preamble + VHOSTS.replace('SSLEngine on', 'SSLEngine off'));
    const result = spawnSync(APACHE_BIN, ['-t', '-D', 'DUMP_VHOSTS', '-d', root, '-f', path], { encoding: 'utf8', env: { PATH: '/usr/sbin:/usr/bin', LANG: 'C' } });
    expect(result.status, result.stderr).toBe(0);
    const loaded = await loadTree(path, { version: '2.4.71' });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problem));
    // "127.0.0.1:18080   ip.example.com (file:line)" and "default server a.example.com (file:line)"
    const theirs = new Map<string, number>();
    let current = '';
    for (const line of result.stdout.split('\n')) {
      const head = /^(\S+:\S+)\s+(?:is a NameVirtualHost|\S+ \((.+):(\d+)\))/.exec(line);
      if (head !== null) {
        current = head[1]!;
        if (head[3] !== undefined) theirs.set(current, Number(head[3]));
      }
      const def = /^\s+default server \S+ \((.+):(\d+)\)/.exec(line);
      if (def !== null) theirs.set(current, Number(def[2]));
    }
    expect(theirs.size).toBeGreaterThanOrEqual(3);
    for (const [addr, line] of theirs) {
      const [host, port] = [addr.slice(0, addr.lastIndexOf(':')), addr.slice(addr.lastIndexOf(':') + 1)];
      const query = { host: 'no-such-name.invalid', port: port === '*' ? 1 : Number(port), ...(host !== '*' ? { address: host } : {}) };
      expect(selectVirtualHost(loaded.tree, query)?.vhost.located.node.line, addr).toBe(line);
    }
  });
});

describe('which ProxyPass wins for a path (first match)', () => {
  it('a general ProxyPass / written first shadows the WebSocket one (seed 001 gone wrong)', async () => {
    const { tree } = await treeOf(`<VirtualHost *:443>
  ServerName some.example.com
  ProxyPass / http://localhost:8042/
  ProxyPass "/en/omk/opCharts/events/log" "ws://localhost:8042/en/omk/opCharts/events/log"
</VirtualHost>
`);
    const vhost = selectVirtualHost(tree, { host: 'some.example.com', port: 443 })!.vhost.located;
    const m = selectProxyPass(tree, vhost, '/en/omk/opCharts/events/log');
    expect(m.rule!.target).toBe('http://localhost:8042/');
    expect(m.matching.map((r) => r.located.node.line)).toEqual([3, 4]);
  });

  it('the specific path first wins; exclusions (!), ProxyPassMatch, server-level rules before the vhost\'s, <Location> before both', async () => {
    const { tree } = await treeOf(`ProxyPass /global http://127.0.0.1:1/
<VirtualHost *:80>
  ServerName x
  ProxyPass /static !
  ProxyPass /ws/ ws://127.0.0.1:2/ws/ upgrade=websocket timeout=600
  ProxyPassMatch "^/api/(v\\d+)/" "http://127.0.0.1:3/$1/"
  ProxyPass / http://127.0.0.1:4/
  ProxyPass /global http://127.0.0.1:5/
  <Location /loc>
    ProxyPass http://127.0.0.1:6/
  </Location>
</VirtualHost>
`);
    const vhost = selectVirtualHost(tree, { host: 'x', port: 80 })!.vhost.located;
    const target = (path: string) => selectProxyPass(tree, vhost, path).rule?.target;
    expect(target('/static/a.png')).toBe('!');
    expect(target('/ws/socket')).toBe('ws://127.0.0.1:2/ws/');
    expect(selectProxyPass(tree, vhost, '/ws/socket').rule!.params).toEqual({ upgrade: 'websocket', timeout: '600' });
    expect(target('/api/v2/x')).toBe('http://127.0.0.1:3/$1/');
    expect(target('/global/x')).toBe('http://127.0.0.1:1/');
    expect(target('/loc/x')).toBe('http://127.0.0.1:6/');
    expect(target('/other')).toBe('http://127.0.0.1:4/');
  });

  it('ProxyPassInherit Off drops the main server\'s rules', async () => {
    const { tree } = await treeOf('ProxyPass / http://127.0.0.1:1/\n<VirtualHost *:80>\n  ProxyPassInherit Off\n  ProxyPass /a http://127.0.0.1:2/\n</VirtualHost>\n');
    const vhost = virtualHosts(tree)[0]!.located;
    expect(selectProxyPass(tree, vhost, '/b').rule).toBeNull();
  });

  it('alias matching: any run of slashes matches any run, a prefix without a segment boundary', () => {
    expect(aliasMatch('/ws//x', '/ws/')).toBeGreaterThan(0);
    expect(aliasMatch('/wsx', '/ws')).toBe(3);
    expect(aliasMatch('/w', '/ws')).toBe(0);
  });
});
