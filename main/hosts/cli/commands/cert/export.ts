import { t } from '../../../../../shared/i18n/index.js';
import { certificateSummary } from './format.js';
import { defined, overwriteOf, str, Usage } from './options.js';
import { subcommand } from './subcommand.js';

/** `cert export`: the local CA certificate (never its key) for client machines. */
export const exportCommand = subcommand<'certExport'>({
  options: { out: { type: 'string' }, der: { type: 'boolean', default: false }, overwrite: { type: 'boolean', default: false } },
  prepare: async (v, _p, io) => {
    const outFile = str(v, 'out');
    if (outFile === undefined) throw new Usage('INVALID_INPUT', 'certs.cli.outNeeded');
    return {
      op: 'certExport',
      input: defined({ outFile, format: v.der === true ? 'der' : undefined, overwrite: overwriteOf(v) }),
      text: (out) => [t(io.lang, 'certs.report.exported', { path: out.path }), ...certificateSummary(out.certificate, io)],
    };
  },
});
