/**
 * Command lines read from /proc may carry secrets (`-Djavax.net.ssl.keyStorePassword=…`,
 * `--db-password …`). What we show (detect) masks them; what we would have to copy word for word
 * (a plan restarting a process) is refused instead — plans, JSON output and the journal hold no
 * secret.
 */
const SECRET_ARG = /pass(?:word|wd|phrase)?|secret|token|credential|api[-_]?key|private[-_]?key/i;
const MASK = '••••';

/** Does any argument look like it names or carries a secret? */
export function argvLooksSecret(argv: readonly string[]): boolean {
  return argv.some((a) => SECRET_ARG.test(a));
}

/** The command line with secret values masked: `name=value` keeps its name, a bare `--password` flag hides the argument after it. */
export function maskSecretArgs(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!SECRET_ARG.test(a)) {
      out.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    if (eq >= 0) out.push(`${a.slice(0, eq + 1)}${MASK}`);
    else if (a.startsWith('-') && i + 1 < argv.length && !argv[i + 1]!.startsWith('-')) {
      out.push(a, MASK);
      i++;
    } else out.push(a);
  }
  return out;
}
