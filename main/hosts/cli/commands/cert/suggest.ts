import { subcommand } from './subcommand.js';

/** `cert suggest`: this machine's names and addresses, and the --name options to copy. */
export const suggest = subcommand<'certSuggestNames'>({
  options: {},
  prepare: async () => ({
    op: 'certSuggestNames',
    input: {},
    text: (out) => [...out.names.map((n) => `${n.value}\t${n.kind}\t${n.source}`), '', `--name ${out.names.map((n) => n.value).join(' --name ')}`],
  }),
});
