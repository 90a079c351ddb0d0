import { issueText } from './format.js';
import { outputInput, sourceInput } from './inputs.js';
import { OUTPUT_OPTIONS, SOURCE_OPTIONS, defined, namesOf, str } from './options.js';
import { subcommand } from './subcommand.js';

/** `cert import`: existing material (PEM, PKCS#12, JKS), checked and written in the formats asked for. */
export const importCommand = subcommand<'certImport'>({
  options: { ...SOURCE_OPTIONS, ...OUTPUT_OPTIONS, name: { type: 'string', multiple: true } },
  prepare: async (v, _p, io) => {
    const { source, withPassphrase } = await sourceInput(v, io, str(v, 'cert') === undefined);
    const rest = defined({ names: namesOf(v), ...(await outputInput(v, io)) });
    return {
      op: 'certImport',
      input: { source, ...rest },
      text: (out) => issueText(out, io),
      retryWithPassphrase: (p) => ({ source: withPassphrase(p), ...rest }),
    };
  },
});
