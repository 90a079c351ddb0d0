import { t } from '../../../../../shared/i18n/index.js';
import type { CliIO } from '../../io.js';
import { readSecretSource } from '../../secrets.js';
import { str, Usage, type Values } from './options.js';
import { promptHidden } from './prompt.js';

/** Options that would put a secret into argv (shell history, process list): refused with a clear line. */
export const SECRET_ARGV = /^--(password|passphrase|pass|keystore-password|storepass|keypass|key-password)(=|$)/;

export type SecretOption = 'password' | 'passphrase' | 'key-passphrase';

/**
 * A secret from `--<option>-file`, `--<option>-env`, or typed at the terminal (twice when
 * `confirm`); never from argv. Undefined when not given and not `required`.
 */
export async function readSecret(v: Values, io: CliIO, option: SecretOption, required: boolean, confirm = false): Promise<string | undefined> {
  const source = await readSecretSource(io, str(v, `${option}-file`), str(v, `${option}-env`));
  if (!source.ok && source.problem === 'file') throw new Usage('INVALID_INPUT', 'certs.cli.passwordFileUnreadable', { path: source.path, reason: source.reason });
  if (!source.ok) throw new Usage('INVALID_INPUT', 'certs.cli.passwordEnvMissing', { name: source.name, option });
  if (source.value !== undefined) return source.value;
  if (!required) return undefined;
  if (io.interactive) {
    const promptKey = option === 'password' ? 'certs.cli.prompt.password' : 'certs.cli.prompt.passphrase';
    const first = await promptHidden(t(io.lang, promptKey), io);
    if (first !== null) {
      if (!confirm) return first;
      const second = await promptHidden(t(io.lang, 'certs.cli.prompt.passwordAgain'), io);
      if (second === first) return first;
      throw new Usage('INVALID_INPUT', 'certs.cli.prompt.mismatch');
    }
  }
  throw new Usage('INVALID_INPUT', 'certs.cli.passwordNeeded', { what: t(io.lang, option === 'password' ? 'certs.cli.what.password' : 'certs.cli.what.passphrase'), option });
}
