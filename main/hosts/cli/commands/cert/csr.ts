import { t } from '../../../../../shared/i18n/index.js';
import { formatFiles } from './format.js';
import { defined, integer, namesOf, overwriteOf, str, Usage } from './options.js';
import { subcommand } from './subcommand.js';

/** `cert csr`: a key and a signing request for a public or company CA. */
export const csr = subcommand<'certCsr'>({
  options: {
    name: { type: 'string', multiple: true },
    cn: { type: 'string' },
    org: { type: 'string' },
    ou: { type: 'string' },
    locality: { type: 'string' },
    state: { type: 'string' },
    country: { type: 'string' },
    'key-type': { type: 'string' },
    'key-size': { type: 'string' },
    'out-dir': { type: 'string' },
    'base-name': { type: 'string' },
    overwrite: { type: 'boolean', default: false },
  },
  prepare: async (v, _p, io) => {
    const outDir = str(v, 'out-dir');
    if (outDir === undefined) throw new Usage('INVALID_INPUT', 'certs.cli.outDirNeeded');
    return {
      op: 'certCsr',
      input: defined({
        names: namesOf(v) ?? [],
        commonName: str(v, 'cn'),
        organization: str(v, 'org'),
        organizationalUnit: str(v, 'ou'),
        locality: str(v, 'locality'),
        state: str(v, 'state'),
        country: str(v, 'country'),
        keyType: str(v, 'key-type'),
        keySize: integer(v, 'key-size'),
        outDir,
        baseName: str(v, 'base-name'),
        overwrite: overwriteOf(v),
      }),
      text: (out) => {
        const request = out.files.find((f) => f.kind === 'csr')!.path;
        const key = out.files.find((f) => f.kind === 'key')!.path;
        return [...formatFiles(out.files, io), `${out.subject}; ${out.san.join(', ')}`, '', out.csrPem.trimEnd(), '', t(io.lang, 'certs.report.csrNext', { path: request, key })];
      },
    };
  },
});
