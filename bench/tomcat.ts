/**
 * bench:tomcat — method one applied to a running Tomcat 10 through the real transactional apply
 * (`wss-setup apply`: preflight, backups, journal, stop through the catalina scripts, server.xml
 * written with its keystore password filled, start until the HTTPS connector and its readiness URL
 * answer) against a bare stop + start of the same base as configured, through the same catalina
 * adapter with the same readiness (the restart the change needs anyway), interleaved in the same
 * run. The stop + start before the change (plain HTTP) is printed too, so the cost of TLS start-up
 * itself is visible. Medians over BENCH_RUNS runs; the ratio is apply / bare (target ≤ 1.1: the
 * transaction costs little beyond the restart it needs). Each round is undone with `rollback`
 * (not timed). Planning (configtest on a temporary copy) is timed once, for information.
 */
import { readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runOperation } from '../main/engine/run-operation.js';
import { DEFAULT_TIMING, realClock, realProcessPort, startService, stopService, type ServiceDeps, type ServiceTarget } from '../main/engine/services/index.js';
import { freePorts, waitForPort } from '../test/harness/ports.js';
import { makeBase, makeKeystore } from '../test/harness/tomcat-base.js';
import { CATALINA_HOME, TOMCAT_EXAMPLES, tomcatAvailable } from '../test/harness/tomcat.js';
import { tempDir } from '../test/harness/temp.js';
import { median, ms, verdict } from './stats.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PASSWORD = 'bench-keystore';
const deps: ServiceDeps = { process: realProcessPort, clock: realClock };
const timing = { ...DEFAULT_TIMING, stopTimeoutMs: 30_000, startTimeoutMs: 60_000 };

async function main(): Promise<void> {
  if (!tomcatAvailable()) {
    console.log('bench:tomcat skipped: Debian tomcat10 + tomcat10-examples are not installed');
    return;
  }
  const dir = tempDir('wss-setup-bench-tomcat-');
  process.env.WSS_SETUP_DATA_DIR = join(dir.path, 'data');
  process.env.JAVA_HOME ??= '/usr/lib/jvm/default-java';
  let running: ServiceTarget | null = null;
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
    const plan = planned.value.plan;
    const planText = JSON.stringify(plan);
    const service = plan.services[0]!;
    const httpOnly: ServiceTarget = { ref: service.service, ready: [{ host: '127.0.0.1', port: httpPort }] };
    const withTls: ServiceTarget = { ref: service.service, ready: service.ready };

    const bare: number[] = [];
    const bareHttp: number[] = [];
    const methodOne: number[] = [];
    const steps = new Map<string, number[]>();
    await startService(httpOnly, deps, timing);
    running = httpOnly;
    for (let run = 0; run < RUNS; run++) {
      // For information: stop + start of the base before the change (plain HTTP only).
      let start = performance.now();
      await stopService(httpOnly, deps, timing);
      await startService(httpOnly, deps, timing);
      bareHttp.push(performance.now() - start);

      // Method one through the real apply (Tomcat running on HTTP before, as an admin has it).
      start = performance.now();
      const applied = await runOperation('apply', { planText, warmupMs: 20_000, secrets: { keystorePassword: PASSWORD } }, { lang: 'en' });
      methodOne.push(performance.now() - start);
      if (!applied.ok || applied.value.outcome !== 'applied') throw new Error(`apply: ${JSON.stringify(applied.ok ? applied.value.failure : applied.error)}`);
      for (const s of applied.value.steps) steps.set(s.name, [...(steps.get(s.name) ?? []), s.ms]);
      running = withTls;

      // Bare: stop + start of the same base as configured, same adapter and readiness.
      start = performance.now();
      await stopService(withTls, deps, timing);
      await startService(withTls, deps, timing);
      bare.push(performance.now() - start);

      // Back to the original for the next round (not timed): the run rolled back.
      const rolled = await runOperation('applyRollback', { run: applied.value.runId!, secrets: { keystorePassword: PASSWORD } }, { lang: 'en' });
      if (!rolled.ok || rolled.value.outcome !== 'reverted') throw new Error(`rollback: ${JSON.stringify(rolled.ok ? rolled.value.restore : rolled.error)}`);
      running = httpOnly;
      await waitForPort(httpPort, 60_000); // the rollback started it; its HTTP connector answers again
    }
    await stopService(running, deps, timing);
    running = null;
    if (!readFileSync(serverXml).equals(original)) throw new Error('bench: server.xml not restored');

    const b = median(bare);
    const m = median(methodOne);
    const ratio = m / b;
    console.log(`bench:tomcat — ${RUNS} runs, Tomcat ${CATALINA_HOME} through its catalina scripts, medians`);
    console.log(`  plan tomcat-ssl (keystore opened, configtest on a copy) ${ms(planMs)}  (once, for information)`);
    console.log(`  bare stop + start, same base with its HTTPS connector  ${ms(b)}`);
    console.log(`  stop + start before the change (HTTP only)             ${ms(median(bareHttp))}  (for information: TLS start-up itself)`);
    console.log(`  method one: wss-setup apply (HTTPS up and ready)       ${ms(m)}`);
    for (const [name, values] of steps) console.log(`    ${name.padEnd(52)} ${ms(median(values))}`);
    console.log(`  ratio apply / bare                                      ${ratio.toFixed(2).padStart(9)}x   target <= 1.10x: ${verdict(ratio <= 1.1)}`);
  } finally {
    if (running !== null) await stopService(running, deps, timing).catch(() => undefined);
    dir.cleanup();
  }
}

await main();
