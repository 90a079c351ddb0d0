import { describe, expect, it } from 'vitest';
import { EngineError } from '../../main/engine/common/engine-error.js';
import { parseSc, splitCommandLine, startService, stopService, type Clock, type ProcessPort, type RunResult, type ServiceDeps } from '../../main/engine/services/index.js';

/**
 * systemd, SysV, Windows services and Apache through the runner port against recorded command
 * outputs (no service manager runs in the test environment). Each fake answers like the real tool
 * and changes state only when the stop/start command ran, so the polling is what is tested.
 */
type Reply = Partial<RunResult> | ((args: readonly string[]) => Partial<RunResult>);

function recorder(answer: (command: string, args: readonly string[]) => Reply | undefined) {
  const calls: string[] = [];
  const port: ProcessPort = {
    run: async (req) => {
      calls.push([req.command, ...req.args].join(' '));
      const reply = answer(req.command, req.args);
      if (reply === undefined) return { code: null, signal: null, stdout: '', stderr: '', spawnError: 'ENOENT', timedOut: false };
      const r = typeof reply === 'function' ? reply(req.args) : reply;
      return { code: 0, signal: null, stdout: '', stderr: '', timedOut: false, ...r };
    },
    start: () => {
      throw new Error('not used');
    },
  };
  return { port, calls };
}

/** A clock whose sleep advances time at once (the waits are bounded in clock time). */
function fakeClock(): Clock {
  let now = Date.parse('2026-01-01T00:00:00Z');
  return { now: () => new Date(now), sleep: async (ms) => void (now += ms) };
}

const timing = { stopTimeoutMs: 10_000, startTimeoutMs: 10_000, pollMs: 500 };

describe('systemd', () => {
  it('stop: systemctl stop, polls is-active until inactive and MainPID until the process is gone; start: until active', async () => {
    let state = 'active';
    let polls = 0;
    let pidAlive = true;
    const { port, calls } = recorder((command, args) => {
      if (command === '/usr/bin/systemctl') {
        if (args[0] === 'is-active') {
          if (state === 'deactivating' && ++polls > 2) state = 'inactive';
          return { stdout: `${state}\n`, code: state === 'active' ? 0 : 3 };
        }
        if (args[0] === 'show') return { stdout: state === 'inactive' ? '0\n' : '4242\n' };
        if (args[0] === 'stop') return (state = 'deactivating'), {};
        if (args[0] === 'start') return (state = 'active'), (pidAlive = true), {};
      }
      if (command === '/bin/kill' && args[0] === '-0') return { code: pidAlive && state !== 'inactive' ? 0 : 1 };
      return undefined;
    });
    const deps: ServiceDeps = { process: port, clock: fakeClock(), platform: 'linux' };
    const ref = { kind: 'systemd' as const, unit: 'nginx.service' };
    expect(await stopService({ ref, ready: [] }, deps, timing)).toEqual({ wasRunning: true, dependents: [], forced: false });
    expect(calls).toContain('/usr/bin/systemctl stop -- nginx.service');
    expect(calls.filter((c) => c.includes('is-active')).length).toBeGreaterThanOrEqual(3);
    expect(calls.some((c) => c.includes('reload'))).toBe(false);
    expect(await startService({ ref, ready: [] }, deps, timing)).toEqual(ref);
    expect(calls).toContain('/usr/bin/systemctl start -- nginx.service');
  });

  it('a unit that never stops: SERVICE_STOP_TIMEOUT names the pid still alive (bounded wait)', async () => {
    const { port } = recorder((command, args) => {
      if (command === '/usr/bin/systemctl') return args[0] === 'is-active' ? { stdout: 'deactivating\n', code: 0 } : args[0] === 'show' ? { stdout: '777\n' } : {};
      if (command === '/bin/kill') return { code: 0 };
      return undefined;
    });
    const error = await stopService({ ref: { kind: 'systemd', unit: 'tomcat10.service' }, ready: [] }, { process: port, clock: fakeClock(), platform: 'linux' }, timing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('SERVICE_STOP_TIMEOUT');
    expect((error as EngineError).evidence).toMatchObject({ pids: [777] });
  });

  it('a failing systemctl start: SERVICE_COMMAND_FAILED with its output', async () => {
    const { port } = recorder((command, args) => (command === '/usr/bin/systemctl' ? (args[0] === 'start' ? { code: 1, stderr: 'Job for nginx.service failed because the control process exited with error code.\n' } : { stdout: 'inactive\n', code: 3 }) : { code: 1 }));
    const error = (await startService({ ref: { kind: 'systemd', unit: 'nginx.service' }, ready: [] }, { process: port, clock: fakeClock(), platform: 'linux' }, timing).catch((e: unknown) => e)) as EngineError;
    expect(error.code).toBe('SERVICE_COMMAND_FAILED');
    expect(String(error.params.output)).toContain('Job for nginx.service failed');
  });
});

describe('SysV init scripts', () => {
  it('service <name> stop/start and LSB status codes (0 running, 3 stopped)', async () => {
    let running = true;
    const { port, calls } = recorder((command, args) => {
      if (command !== '/usr/sbin/service' || args[0] !== 'tomcat9') return undefined;
      if (args[1] === 'status') return { code: running ? 0 : 3 };
      running = args[1] === 'start';
      return {};
    });
    const deps: ServiceDeps = { process: port, clock: fakeClock(), platform: 'linux' };
    const ref = { kind: 'sysv' as const, script: '/etc/init.d/tomcat9' };
    expect((await stopService({ ref, ready: [] }, deps, timing)).wasRunning).toBe(true);
    await startService({ ref, ready: [] }, deps, timing);
    expect(calls.filter((c) => !c.endsWith('status'))).toEqual(['/usr/sbin/service tomcat9 stop', '/usr/sbin/service tomcat9 start']);
  });

  it('a script outside /etc/init.d runs itself', async () => {
    let running = true;
    const { port, calls } = recorder((command, args) => (command === '/opt/FineReport/bin/finereport' ? (args[0] === 'status' ? { code: running ? 0 : 3 } : ((running = args[0] === 'start'), {})) : undefined));
    await stopService({ ref: { kind: 'sysv', script: '/opt/FineReport/bin/finereport' }, ready: [] }, { process: port, clock: fakeClock(), platform: 'linux' }, timing);
    expect(calls).toContain('/opt/FineReport/bin/finereport stop');
  });
});

/** Output recorded from sc.exe on Windows Server 2019 (Tomcat 9 service with a dependent). */
const SC_RUNNING = `
SERVICE_NAME: Tomcat9
        TYPE               : 10  WIN32_OWN_PROCESS
        STATE              : 4  RUNNING
                                (STOPPABLE, NOT_PAUSABLE, ACCEPTS_SHUTDOWN)
        WIN32_EXIT_CODE    : 0  (0x0)
        SERVICE_EXIT_CODE  : 0  (0x0)
        CHECKPOINT         : 0x0
        WAIT_HINT          : 0x0
        PID                : 5120
        FLAGS              :
`;
const SC_STOP_PENDING = SC_RUNNING.replace('4  RUNNING', '3  STOP_PENDING').replace('(STOPPABLE, NOT_PAUSABLE, ACCEPTS_SHUTDOWN)', '(NOT_STOPPABLE, NOT_PAUSABLE, IGNORES_SHUTDOWN)');
const SC_STOPPED = SC_RUNNING.replace('4  RUNNING', '1  STOPPED').replace('5120', '0');
const SC_ENUMDEPEND = `Enum: entriesRead = 1

SERVICE_NAME: FineReportPush
DISPLAY_NAME: FineReport push service
        TYPE               : 10  WIN32_OWN_PROCESS
        STATE              : 4  RUNNING
                                (STOPPABLE, NOT_PAUSABLE, ACCEPTS_SHUTDOWN)
        WIN32_EXIT_CODE    : 0  (0x0)
        SERVICE_EXIT_CODE  : 0  (0x0)
        CHECKPOINT         : 0x0
        WAIT_HINT          : 0x0
`;

describe('Windows services (sc.exe)', () => {
  it('parses query/queryex/enumdepend output', () => {
    expect(parseSc(SC_RUNNING)).toEqual([{ name: 'Tomcat9', state: 4, pid: 5120 }]);
    expect(parseSc(SC_ENUMDEPEND)).toEqual([{ name: 'FineReportPush', state: 4, pid: 0 }]);
    expect(parseSc(SC_STOPPED.replace(/\n/g, '\r\n'))).toEqual([{ name: 'Tomcat9', state: 1, pid: 0 }]);
  });

  it('stops running dependents first, polls STOP_PENDING until STOPPED and the PID is gone, starts the dependents after', async () => {
    const state: Record<string, string> = { Tomcat9: 'running', FineReportPush: 'running' };
    const pendingPolls: Record<string, number> = { Tomcat9: 0, FineReportPush: 0 };
    const { port, calls } = recorder((command, args) => {
      if (command === 'C:\\Windows\\System32\\tasklist.exe') return { stdout: state.Tomcat9 === 'stopped' ? 'INFO: No tasks are running which match the specified criteria.\r\n' : '"tomcat9.exe","5120","Services","0","120,000 K"\r\n' };
      if (command !== 'C:\\Windows\\System32\\sc.exe') return undefined;
      const [verb, name] = args as [string, string];
      const block = (s: string) => (s === 'running' ? SC_RUNNING : s === 'pending' ? SC_STOP_PENDING : SC_STOPPED).replace('Tomcat9', name).replace(name === 'Tomcat9' ? '5120' : '5120', name === 'Tomcat9' ? '5120' : '6000');
      if (verb === 'enumdepend') return { stdout: name === 'Tomcat9' ? (state.FineReportPush === 'running' ? SC_ENUMDEPEND : 'Enum: entriesRead = 0\r\n') : 'Enum: entriesRead = 0\r\n' };
      if (verb === 'queryex') {
        if (state[name] === 'pending' && ++pendingPolls[name]! > 2) state[name] = 'stopped';
        return { stdout: block(state[name]!) };
      }
      if (verb === 'stop') {
        if (name === 'Tomcat9' && state.FineReportPush === 'running') return { code: 1051, stdout: '[SC] ControlService FAILED 1051:\r\n\r\nA stop control has been sent to a service that other running services are dependent on.\r\n' };
        state[name] = 'pending';
        return { stdout: block('pending') };
      }
      if (verb === 'start') {
        state[name] = 'running';
        return { stdout: block('running').replace('4  RUNNING', '2  START_PENDING') };
      }
      return undefined;
    });
    const deps: ServiceDeps = { process: port, clock: fakeClock(), platform: 'win32' };
    const ref = { kind: 'windows' as const, name: 'Tomcat9' };
    const stopped = await stopService({ ref, ready: [] }, deps, timing);
    expect(stopped).toEqual({ wasRunning: true, dependents: [{ kind: 'windows', name: 'FineReportPush' }], forced: false });
    const verbs = calls.filter((c) => / (stop|start) /.test(c));
    expect(verbs).toEqual(['C:\\Windows\\System32\\sc.exe stop FineReportPush', 'C:\\Windows\\System32\\sc.exe stop Tomcat9']);
    expect(state).toEqual({ Tomcat9: 'stopped', FineReportPush: 'stopped' });
    await startService({ ref, ready: [] }, deps, timing, stopped.dependents);
    expect(calls.filter((c) => / start /.test(c))).toEqual(['C:\\Windows\\System32\\sc.exe start Tomcat9', 'C:\\Windows\\System32\\sc.exe start FineReportPush']);
  });

  it('"already stopped" (1062) is not a failure; access denied (5) is, with sc\'s words', async () => {
    const { port } = recorder((_c, args) => (args[0] === 'enumdepend' ? { stdout: 'Enum: entriesRead = 0\r\n' } : args[0] === 'queryex' ? { stdout: SC_RUNNING } : { code: 5, stdout: '[SC] OpenService FAILED 5:\r\n\r\nAccess is denied.\r\n' }));
    const error = (await stopService({ ref: { kind: 'windows', name: 'Tomcat9' }, ready: [] }, { process: port, clock: fakeClock(), platform: 'win32' }, timing).catch((e: unknown) => e)) as EngineError;
    expect(error.code).toBe('SERVICE_COMMAND_FAILED');
    expect(String(error.params.output)).toContain('Access is denied.');
  });
});

describe('Apache httpd (apachectl)', () => {
  it('-k stop / -k start with -f, the parent pid from the PidFile DUMP_RUN_CFG names', async () => {
    const { port, calls } = recorder((command, args) => {
      if (command !== '/usr/sbin/apachectl') return command === '/bin/kill' ? { code: 1 } : undefined;
      if (args.includes('DUMP_RUN_CFG')) return { stdout: 'ServerRoot: "/etc/apache2"\nPidFile: "/nonexistent/apache2.pid"\n' };
      return {};
    });
    const ref = { kind: 'apache' as const, apachectl: '/usr/sbin/apachectl', conf: '/etc/apache2/apache2.conf' };
    // No pid file: not running, nothing to stop.
    expect((await stopService({ ref, ready: [] }, { process: port, clock: fakeClock(), platform: 'linux' }, timing)).wasRunning).toBe(false);
    expect(calls.some((c) => c.endsWith('-k stop'))).toBe(false);
    expect(calls.some((c) => /graceful|restart/.test(c))).toBe(false);
  });
});

describe('command lines of plain processes', () => {
  it('splits words like a shell without expanding anything', () => {
    expect(splitCommandLine(`/usr/bin/java -Dname="a b" '-Dx=$HOME' c\\ d`)).toEqual(['/usr/bin/java', '-Dname=a b', '-Dx=$HOME', 'c d']);
    expect(splitCommandLine(`  a   ''  b `)).toEqual(['a', '', 'b']);
  });
});
