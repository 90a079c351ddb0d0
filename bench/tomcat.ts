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
 *
 * Also printed: the bare stop and start separately; apply's own step times (its journal's figures,
 * in-process and less sensitive to the machine's load than the wall times) and the time apply spends
 * outside its steps (plan parsed, lock, journal opened and closed); and the outage window (stop
 * issued → HTTPS ready) of both. Apply's preflight runs Tomcat's configtest again only when something
 * it reads changed since the plan's passed (the memo); BENCH_COLD=1 clears the memo before every
 * apply, so the figure includes that JVM start too.
 */
import { readFileSync, rmSync, symlinkSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runOperation } from '../main/engine/run-operation.js';
import { CONFIGTEST_MEMO_FILE } from '../main/engine/tomcat/configtest-memo.js';
import { DEFAULT_TIMING, realClock, realProcessPort, startService, stopService, type ServiceDeps, type ServiceTarget } from '../main/engine/services/index.js';
import { freePorts, waitForPort } from '../test/harness/ports.js';
import { makeBase, makeKeystore } from '../test/harness/tomcat-base.js';
import { CATALINA_HOME, TOMCAT_EXAMPLES, tomcatAvailable } from '../test/harness/tomcat.js';
import { tempDir } from '../test/harness/temp.js';
import { median, ms, verdict } from './stats.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const COLD = process.env.BENCH_COLD === '1';
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
    const bareStop: number[] = [];
    const bareStart: number[] = [];
    const outside: number[] = [];
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
      if (COLD) rmSync(join(dir.path, 'data', CONFIGTEST_MEMO_FILE), { force: true });
      start = performance.now();
      const applied = await runOperation('apply', { planText, warmupMs: 20_000, secrets: { keystorePassword: PASSWORD } }, { lang: 'en' });
      const took = performance.now() - start;
      methodOne.push(took);
      if (!applied.ok || applied.value.outcome !== 'applied') throw new Error(`apply: ${JSON.stringify(applied.ok ? applied.value.failure : applied.error)}`);
      for (const s of applied.value.steps) steps.set(s.name, [...(steps.get(s.name) ?? []), s.ms]);
      outside.push(took - applied.value.steps.reduce((sum, s) => sum + s.ms, 0));
      running = withTls;

      // Bare: stop + start of the same base as configured, same adapter and readiness.
      start = performance.now();
      await stopService(withTls, deps, timing);
      const stopped = performance.now();
      await startService(withTls, deps, timing);
      const ready = performance.now();
      bare.push(ready - start);
      bareStop.push(stopped - start);
      bareStart.push(ready - stopped);

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
    const stepMs = (name: string) => median(steps.get(name) ?? [0]);
    // Apply's outage: from its stop to HTTPS ready (stop, FineDB backup, writes, certificates, rows, start).
    const window = ['stop-services', 'backup-finedb', 'write-files', 'certificates', 'finedb-rows', 'start-services'].reduce((sum, n) => sum + stepMs(n), 0);
    console.log(`bench:tomcat — ${RUNS} runs, Tomcat ${CATALINA_HOME} through its catalina scripts, medians${COLD ? ' (BENCH_COLD: configtest memo cleared before every apply)' : ''}`);
    console.log(`  plan tomcat-ssl (keystore opened, configtest on a copy)   ${ms(planMs)}  (once, for information)`);
    console.log(`  stop + start before the change (HTTP only)                ${ms(median(bareHttp))}  (for information: TLS start-up itself)`);
    console.log(`  bare stop + start, same base with its HTTPS connector     ${ms(b)}`);
    console.log(`    stop (shutdown.sh, process gone, ports closed)          ${ms(median(bareStop))}`);
    console.log(`    start (startup.sh, HTTP(S) ports and the page answer)   ${ms(median(bareStart))}`);
    console.log(`  method one: wss-setup apply (HTTPS up and ready)          ${ms(m)}`);
    console.log(`    outside the steps (plan parsed, lock, journal)          ${ms(median(outside))}`);
    for (const [name, values] of steps) console.log(`    ${name.padEnd(55)} ${ms(median(values))}`);
    console.log(`  outage window: apply stop..ready ${ms(window)}   bare ${ms(b)}   ratio ${(window / b).toFixed(2)}x  (in-process step times)`);
    console.log(`  ratio apply / bare                                         ${ratio.toFixed(2).padStart(9)}x   target <= 1.10x: ${verdict(ratio <= 1.1)}`);
    console.log(`  load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  } finally {
    if (running !== null) await stopService(running, deps, timing).catch(() => undefined);
    dir.cleanup();
  }
}

await main();
