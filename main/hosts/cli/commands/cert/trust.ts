import { t } from '../../../../../shared/i18n/index.js';
import { defined, inputPath, str, Usage } from './options.js';
import { subcommand } from './subcommand.js';

/** `cert trust install|remove|status|steps`: the CA in this machine's trust store, and the steps for browsers and clients. */
export const trust = subcommand<'certTrust'>({
  options: { ca: { type: 'string' }, label: { type: 'string' } },
  prepare: async (v, positionals, io) => {
    const action = positionals[0];
    if (action === undefined) throw new Usage('INVALID_INPUT', 'certs.cli.trustAction');
    return {
      op: 'certTrust',
      input: defined({ action, caFile: inputPath(str(v, 'ca')), label: str(v, 'label') }),
      text: (out) => [
        t(io.lang, 'certs.report.store', { store: t(io.lang, `certs.store.${out.store}`) }),
        ...out.commands.map((c) => t(io.lang, 'certs.report.ran', { command: c.join(' ') })),
        t(io.lang, out.installed ? 'certs.report.installed' : 'certs.report.notInstalled', { fingerprint: out.caFingerprint256, path: out.anchorPath ?? '' }),
        ...(out.action === 'steps' || out.action === 'status' ? out.steps.flatMap((s) => ['', `# ${s.title}`, s.text, ...s.commands.map((c) => `  ${c}`)]) : []),
      ],
    };
  },
});
