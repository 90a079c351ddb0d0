import { OUTPUT_OPTIONS, defined, integer, namesOf, str } from './options.js';
import { issueText } from './format.js';
import { outputInput } from './inputs.js';
import { subcommand } from './subcommand.js';

/** `cert server`: a server certificate signed by the local CA, in the formats asked for. */
export const server = subcommand<'certServer'>({
  options: { name: { type: 'string', multiple: true }, cn: { type: 'string' }, org: { type: 'string' }, 'key-type': { type: 'string' }, 'key-size': { type: 'string' }, days: { type: 'string' }, ...OUTPUT_OPTIONS },
  prepare: async (v, _p, io) => ({
    op: 'certServer',
    input: defined({
      names: namesOf(v) ?? [],
      commonName: str(v, 'cn'),
      organization: str(v, 'org'),
      keyType: str(v, 'key-type'),
      keySize: integer(v, 'key-size'),
      validityDays: integer(v, 'days'),
      ...(await outputInput(v, io)),
    }),
    text: (out) => issueText(out, io),
  }),
});
