import { parse } from 'dot-properties';

/**
 * WEB-INF/config/db.properties: where FineDB lives when it was moved to an external database
 * (or, on some installs, an explicit HSQLDB URL). Keys as the product writes them:
 * url, driverClassName, username, password, dialectClass. Values are Java-properties escaped
 * (jdbc\:mysql\://...), so the file is read with dot-properties, never with a regex.
 */
export interface DbProperties {
  readonly url?: string;
  readonly driverClassName?: string;
  readonly username?: string;
  readonly password?: string;
  readonly dialectClass?: string;
  /** True when the password is stored encoded by the product (prefix "___"): it must be asked for, never guessed. */
  readonly passwordEncrypted: boolean;
}

/** The product stores an encoded password as "___" followed by hex digits (FineReport 10+). */
export const ENCRYPTED_PASSWORD = /^___[0-9a-fA-F]*$/;

export function parseDbProperties(text: string): DbProperties {
  const values = parse(text) as Record<string, unknown>;
  const get = (key: string): string | undefined => {
    const v = values[key];
    return typeof v === 'string' ? v.trim() : undefined;
  };
  const password = get('password');
  const encrypted = password !== undefined && password.length > 3 && ENCRYPTED_PASSWORD.test(password);
  return {
    ...(get('url') !== undefined ? { url: get('url') } : {}),
    ...(get('driverClassName') !== undefined ? { driverClassName: get('driverClassName') } : {}),
    ...(get('username') !== undefined ? { username: get('username') } : {}),
    ...(password !== undefined && !encrypted ? { password } : {}),
    ...(get('dialectClass') !== undefined ? { dialectClass: get('dialectClass') } : {}),
    passwordEncrypted: encrypted,
  };
}

/** What kind of database a JDBC URL points at. */
export type DbKind = 'hsqldb' | 'mysql' | 'mariadb' | 'postgresql' | 'oracle' | 'sqlserver' | 'sqlite' | 'other';

export function dbKindOf(url: string): DbKind {
  const m = /^jdbc:([a-z0-9]+):/i.exec(url.trim());
  const sub = m?.[1]?.toLowerCase() ?? '';
  switch (sub) {
    case 'hsqldb':
    case 'mysql':
    case 'mariadb':
    case 'postgresql':
    case 'oracle':
    case 'sqlserver':
    case 'sqlite':
      return sub;
    default:
      return 'other';
  }
}
