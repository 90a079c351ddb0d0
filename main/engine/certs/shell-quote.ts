/** The shell a printed command line is meant to be pasted into. */
export type Shell = 'posix' | 'powershell';

/** Characters no shell gives a meaning to: such words are printed as they are. */
const PLAIN = /^[\w@%+=:,./-]+$/;
/** Inside POSIX double quotes these still expand or end the word: $ ` \ " and ! (bash history). */
const POSIX_ACTIVE_IN_DOUBLE = /[$`\\"!]/;

/**
 * One word of a command line that a person pastes into a shell, inert whatever it contains
 * (`$(id)`, backquotes, quotes, newlines). POSIX sh: kept in double quotes when nothing in it is
 * active there (so plain paths read as before), else single quotes with ' written as '\''.
 * PowerShell: single quotes, ' doubled. `forceQuotes` quotes even a plain word.
 */
export function quoteForShell(word: string, shell: Shell, forceQuotes = false): string {
  if (!forceQuotes && PLAIN.test(word)) return word;
  if (shell === 'powershell') return `'${word.replace(/['\u2018\u2019\u201a\u201b]/g, (q) => q + q)}'`;
  if (!POSIX_ACTIVE_IN_DOUBLE.test(word) && !word.includes('\n')) return `"${word}"`;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
