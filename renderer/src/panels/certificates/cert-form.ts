import { hostNameProblem, type OutputFormat } from '../../../../shared/contract/certs.js';
import type { Lang } from '../../../../shared/contract/common.js';
import { t } from '../../../../shared/i18n/index.js';

export type Mode = 'local' | 'csr' | 'import';
export type ImportKind = 'pem' | 'pkcs12' | 'jks';

/** Everything the admin types in the Certificates panel; kept across modes (names, folder, formats). */
export interface CertFields {
  readonly names: string;
  readonly outDir: string;
  readonly baseName: string;
  readonly formats: readonly OutputFormat[];
  readonly password: string;
  readonly overwrite: boolean;
  readonly country: string;
  readonly organization: string;
  readonly importKind: ImportKind;
  readonly certFile: string;
  readonly keyFile: string;
  readonly chainFile: string;
  readonly sourceFile: string;
  readonly passphrase: string;
  readonly exportFile: string;
}

export const INITIAL_FIELDS: CertFields = {
  names: '',
  outDir: '',
  baseName: 'server',
  formats: ['pem', 'pkcs12'],
  password: '',
  overwrite: false,
  country: '',
  organization: '',
  importKind: 'pem',
  certFile: '',
  keyFile: '',
  chainFile: '',
  sourceFile: '',
  passphrase: '',
  exportFile: '',
};

export type SetField = <K extends keyof CertFields>(name: K, value: CertFields[K]) => void;

/** What every form of the panel gets: the fields, a setter, the language and whether an operation runs. */
export interface CertFormProps {
  readonly fields: CertFields;
  readonly set: SetField;
  readonly lang: Lang;
  readonly busy: boolean;
}

/** Splits the names box (lines, commas) and reports each bad name with its own message. */
export function parseNames(text: string, lang: Lang): { names: string[]; problems: string[] } {
  const names = text
    .split(/[\n,]/)
    .map((n) => n.trim())
    .filter((n) => n !== '');
  const problems = names.flatMap((n) => {
    const problem = hostNameProblem(n);
    return problem === null ? [] : [t(lang, problem, { value: n })];
  });
  if (names.length === 0) problems.push(t(lang, 'certs.input.names.empty'));
  return { names, problems };
}

export const wantsPassword = (fields: CertFields): boolean => fields.formats.includes('pkcs12') || fields.formats.includes('jks');

/** The output part of certServer / certImport input. */
export function outputsOf(fields: CertFields) {
  return {
    outDir: fields.outDir.trim(),
    baseName: fields.baseName.trim() || 'server',
    formats: [...fields.formats],
    ...(wantsPassword(fields) ? { keystorePassword: fields.password } : {}),
    overwrite: fields.overwrite,
  };
}

/** The material to import or inspect. */
export function sourceOf(fields: CertFields) {
  return fields.importKind === 'pem'
    ? {
        kind: 'pem' as const,
        certFile: fields.certFile.trim(),
        ...(fields.keyFile.trim() !== '' ? { keyFile: fields.keyFile.trim() } : {}),
        ...(fields.chainFile.trim() !== '' ? { chainFiles: [fields.chainFile.trim()] } : {}),
        ...(fields.passphrase !== '' ? { passphrase: fields.passphrase } : {}),
      }
    : fields.importKind === 'pkcs12'
      ? { kind: 'pkcs12' as const, file: fields.sourceFile.trim(), password: fields.passphrase }
      : { kind: 'jks' as const, file: fields.sourceFile.trim(), password: fields.passphrase };
}

/** The certCsr input. */
export function csrInputOf(fields: CertFields, names: readonly string[]) {
  return {
    names: [...names],
    outDir: fields.outDir.trim(),
    baseName: fields.baseName.trim() || 'server',
    overwrite: fields.overwrite,
    ...(fields.country.trim() !== '' ? { country: fields.country.trim() } : {}),
    ...(fields.organization.trim() !== '' ? { organization: fields.organization.trim() } : {}),
  };
}
