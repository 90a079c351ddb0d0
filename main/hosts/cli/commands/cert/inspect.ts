import { t } from '../../../../../shared/i18n/index.js';
import { EXIT_FINDINGS, EXIT_OK } from '../../io.js';
import { certificateSummary, chainSummaries, formatCertFindings } from './format.js';
import { sourceInput } from './inputs.js';
import { SOURCE_OPTIONS, defined, inputPath, namesOf, str } from './options.js';
import { subcommand } from './subcommand.js';

/** `cert inspect`: findings about material on disk; exit 1 when any is an error. */
export const inspect = subcommand<'certInspect'>({
  options: { ...SOURCE_OPTIONS, name: { type: 'string', multiple: true }, ca: { type: 'string' } },
  prepare: async (v, _p, io) => {
    const { source, withPassphrase } = await sourceInput(v, io, str(v, 'cert') === undefined);
    const rest = defined({ names: namesOf(v), caFile: inputPath(str(v, 'ca')) });
    return {
      op: 'certInspect',
      input: { source, ...rest },
      text: (out) => [
        ...certificateSummary(out.certificate, io),
        ...chainSummaries(out.chain, io),
        ...(out.keyMatches === true ? [t(io.lang, 'certs.report.keyMatches')] : []),
        '',
        ...formatCertFindings(out.findings, io),
      ],
      exit: (out) => (out.ok ? EXIT_OK : EXIT_FINDINGS),
      retryWithPassphrase: (p) => ({ source: withPassphrase(p), ...rest }),
    };
  },
});
