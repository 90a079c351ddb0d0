/**
 * Windows has no file modes: a key file is made owner-only by removing inherited permissions
 * and granting full control to the current account alone. Built as data so it can be unit-tested
 * here; it runs only on Windows.
 */
export function ownerOnlyAclCommand(path: string, env: Readonly<Record<string, string | undefined>>): { command: string; args: string[] } {
  const user = env.USERNAME ?? 'Administrator';
  const account = env.USERDOMAIN ? `${env.USERDOMAIN}\\${user}` : user;
  return { command: 'icacls', args: [path, '/inheritance:r', '/grant:r', `${account}:(F)`] };
}
