import { t } from '../../../../../shared/i18n/index.js';
import { certificateSummary } from './format.js';
import { defined, integer, str } from './options.js';
import { subcommand } from './subcommand.js';

/** `cert ca`: create (or reuse, or replace) the local CA. */
export const ca = subcommand<'certCa'>({
  options: { cn: { type: 'string' }, org: { type: 'string' }, years: { type: 'string' }, 'key-size': { type: 'string' }, reuse: { type: 'boolean', default: false }, replace: { type: 'boolean', default: false } },
  prepare: async (v, _p, io) => ({
    op: 'certCa',
    input: defined({
      commonName: str(v, 'cn'),
      organization: str(v, 'org'),
      validityYears: integer(v, 'years'),
      keySize: integer(v, 'key-size'),
      ifExists: v.replace === true ? 'replace' : v.reuse === true ? 'reuse' : undefined,
    }),
    text: (out) => [
      t(io.lang, out.created ? 'certs.report.caCreated' : 'certs.report.caReused', { path: out.certPath }),
      t(io.lang, 'certs.report.caKey', { path: out.keyPath }),
      ...certificateSummary(out.certificate, io),
      '',
      t(io.lang, 'certs.report.caNext'),
    ],
  }),
});
