/**
 * bench:tomcat — method one applied to a running Tomcat 10 (server.xml edit written from the plan,
 * stop, start, HTTPS connector ready) against a bare stop + start of the same base as configured
 * (the restart the change needs anyway), interleaved in the same run; the stop + start before the
 * change (plain HTTP) is printed too, so the cost of TLS start-up itself is visible. Medians over BENCH_RUNS runs; the ratio is method one / bare (target ≤ 1.1: the
 * change costs little beyond the restart it needs). Planning (configtest on a temporary copy) is
 * timed once, for information. The apply step is the test harness's stand-in for the transactional
 * apply (file written atomically; no journal), so the figure is the Tomcat side of the work.
 */
import { readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runOperation } from '../main/engine/run-operation.js';
import { serverXmlApplyBytes } from '../main/engine/tomcat/index.js';
import { freePorts } from '../test/harness/ports.js';
import { makeBase, makeKeystore } from '../test/harness/tomcat-base.js';
import { CATALINA_HOME, startTomcatBase, TOMCAT_EXAMPLES, tomcatAvailable } from '../test/harness/tomcat.js';
import { tempDir } from '../test/harness/temp.js';
import { median, ms, verdict } from './stats.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PASSWORD = 'bench-keystore';

async function main(): Promise<void> {
  if (!tomcatAvailable()) {
    console.log('bench:tomcat skipped: Debian tomcat10 + tomcat10-examples are not installed');
    return;
  }
  const dir = tempDir('wss-setup-bench-tomcat-');
  try {
    const [httpPort, httpsPort] = (await freePorts(2)) as [number, number];
    const base = makeBase(
      join(dir.path, 'base'),
      `<?xml version="1.0" encoding="UTF-8"?>\n<Server port="-1" shutdown="SHUTDOWN">\n  <Service name="Catalina">\n    <Connector port="${httpPort}" address="127.0.0.1" protocol="HTTP/1.1" connectionTimeout="20000" />\n    <Engine name="Catalina" defaultHost="localhost">\n      <Host name="localhost" appBase="webapps" unpackWARs="false" autoDeploy="false" />\n    </Engine>\n  </Service>\n</Server>\n`,
    );
    symlinkSync(TOMCAT_EXAMPLES, join(base, 'webapps', 'examples'));
    const keystore = join(base, 'conf', 'server.p12');
    makeKeystore(keystore, PASSWORD);
    const serverXml = join(base, 'conf', 'server.xml');
    const original = readFileSync(serverXml);

    const t0 = performance.now();
    const planned = await runOperation('planTomcatSsl', { catalinaBase: base, catalinaHome: CATALINA_HOME, httpsPort, address: '127.0.0.1', keystore, keystorePassword: PASSWORD });
    const planMs = performance.now() - t0;
    if (!planned.ok) throw new Error(JSON.stringify(planned.error));
    const edit = planned.value.plan.files[0]!;

    const bare: number[] = [];
    const bareHttp: number[] = [];
    const methodOne: number[] = [];
    const applied = serverXmlApplyBytes(edit, original, { keystorePassword: PASSWORD })!;
    let tomcat = await startTomcatBase(base, [httpPort]);
    for (let run = 0; run < RUNS; run++) {
      // For information: stop + start of the base before the change (plain HTTP only).
      let start = performance.now();
      await tomcat.stop();
      tomcat = await startTomcatBase(base, [httpPort]);
      bareHttp.push(performance.now() - start);

      // Method one: write server.xml from the plan, stop, start until the HTTPS connector answers.
      start = performance.now();
      const bytes = serverXmlApplyBytes(edit, readFileSync(serverXml), { keystorePassword: PASSWORD })!;
      writeFileSync(`${serverXml}.new`, bytes);
      renameSync(`${serverXml}.new`, serverXml);
      await tomcat.stop();
      tomcat = await startTomcatBase(base, [httpPort, httpsPort]);
      methodOne.push(performance.now() - start);

      // Bare: stop + start of the same base as configured (the restart the change needs anyway).
      start = performance.now();
      await tomcat.stop();
      tomcat = await startTomcatBase(base, [httpPort, httpsPort]);
      bare.push(performance.now() - start);

      // Back to the original for the next round (not timed).
      await tomcat.stop();
      writeFileSync(serverXml, original);
      tomcat = await startTomcatBase(base, [httpPort]);
    }
    await tomcat.stop();
    if (!readFileSync(serverXml).equals(original) || applied.equals(original)) throw new Error('bench: server.xml not restored');

    const b = median(bare);
    const m = median(methodOne);
    const ratio = m / b;
    console.log(`bench:tomcat — ${RUNS} runs, Tomcat ${CATALINA_HOME}, medians`);
    console.log(`  plan tomcat-ssl (keystore opened, configtest on a copy) ${ms(planMs)}  (once, for information)`);
    console.log(`  bare stop + start, same base with its HTTPS connector  ${ms(b)}`);
    console.log(`  stop + start before the change (HTTP only)             ${ms(median(bareHttp))}  (for information: TLS start-up itself)`);
    console.log(`  method one: write server.xml + stop + start (HTTPS up) ${ms(m)}`);
    console.log(`  ratio method one / bare                                 ${ratio.toFixed(2).padStart(9)}x   target <= 1.10x: ${verdict(ratio <= 1.1)}`);
  } finally {
    dir.cleanup();
  }
}

await main();
