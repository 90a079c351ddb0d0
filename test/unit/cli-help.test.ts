import { describe, expect, it } from 'vitest';
import type { Lang } from '../../shared/contract/common.js';
import { t } from '../../shared/i18n/index.js';
import { HELP_TOPICS, optionHelpKey, renderHelp } from '../../main/hosts/cli/help.js';
import { commands, main } from '../../main/hosts/cli/main.js';
import type { CliIO } from '../../main/hosts/cli/io.js';

// Issue 13: every command and option described, in both languages, generated from the very option
// tables the commands parse with — so help and parsing cannot drift.

async function run(lang: Lang, argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { lang, stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), interactive: false, env: { WSS_SETUP_NO_RECOVERY_NOTICE: '1' } };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** Every help id with the option table its command parses with, read from the command modules themselves. */
async function allTables(): Promise<[string, Record<string, { type: string }>][]> {
  const out: [string, Record<string, { type: string }>][] = [];
  for (const name of Object.keys(commands)) {
    const module = await commands[name]!();
    for (const [id, table] of Object.entries(module.HELP)) out.push([id, table as Record<string, { type: string }>]);
  }
  return out;
}

const CJK = /[\u4e00-\u9fff]/;

describe('CLI help', () => {
  it('has a help topic for every command, and every command and subcommand exports its option table', async () => {
    expect(Object.keys(HELP_TOPICS).sort()).toEqual(Object.keys(commands).sort());
    const ids = (await allTables()).map(([id]) => id).sort();
    const expected = Object.entries(HELP_TOPICS).flatMap(([command, subs]) => [command, ...subs.map((s) => `${command}.${s}`)]).sort();
    expect(ids).toEqual(expected);
  });

  it('describes every option of every table in English and Chinese, and prints it in the help', async () => {
    const tables = await allTables();
    let options = 0;
    for (const [id, table] of tables) {
      const argv = id.split('.');
      const en = await run('en', [...argv, '--help']);
      const zh = await run('zh-CN', ['--lang', 'zh-CN', ...argv, '--help']);
      expect(en.code, id).toBe(0);
      expect(zh.code, id).toBe(0);
      expect(en.stdout, id).toContain(`${t('en', 'cli.usage')}: wss-setup ${argv.join(' ')}`);
      expect(en.stdout, id).toContain(t('en', `cliHelp.${id}.purpose` as never));
      expect(zh.stdout, id).toContain(t('zh-CN', `cliHelp.${id}.purpose` as never));
      for (const name of Object.keys(table)) {
        options += 1;
        const key = optionHelpKey(id, name);
        expect(key, `${id} --${name} has no help text`).toBeDefined();
        const enText = t('en', key!);
        const zhText = t('zh-CN', key!);
        expect(enText.length, `${id} --${name}`).toBeGreaterThan(10);
        expect(zhText, `${id} --${name}: Chinese text`).toMatch(CJK);
        expect(zhText, `${id} --${name}: untranslated`).not.toBe(enText);
        // The option and its description are in the printed help, one line.
        expect(en.stdout.split('\n').some((line) => line.includes(`--${name}`) && line.includes(enText)) || en.stdout.includes(`--${name}`) && en.stdout.includes(enText), `${id} --${name} in en help`).toBe(true);
        expect(zh.stdout, `${id} --${name} in zh help`).toContain(`--${name}`);
        expect(zh.stdout, `${id} --${name} in zh help`).toContain(zhText);
      }
    }
    expect(options).toBeGreaterThan(150);
  });

  it('prints no English description under --lang zh-CN', async () => {
    const english = new Set<string>();
    const tables = await allTables();
    for (const [id, table] of tables) {
      english.add(t('en', `cliHelp.${id}.purpose` as never));
      for (const name of Object.keys(table)) english.add(t('en', optionHelpKey(id, name)!));
    }
    english.add(t('en', 'cliHelp.opt.lang'));
    for (const argv of [[], ...tables.map(([id]) => id.split('.'))]) {
      const zh = await run('zh-CN', ['--lang', 'zh-CN', ...argv, '--help']);
      for (const text of english) expect(zh.stdout.includes(text), `"${text}" in zh-CN help of ${argv.join(' ')}`).toBe(false);
      // Every line that describes something (not a flag, usage or code) has Chinese in it.
      for (const line of zh.stdout.split('\n')) {
        const description = line.replace(/^\s*(-\w, )?(--[\w-]+( <[^>]*>(\.\.\.)?| en\|zh-CN)?)?\s*/, '').trim();
        if (description === '' || /^(wss-setup|用法)/.test(description) || /^[\w-]+$/.test(description)) continue;
        const words = description.replace(/^[\w-]+\s+/, '');
        expect(words, `English line in zh-CN help of "${argv.join(' ')}": ${line}`).toMatch(CJK);
      }
    }
  });

  it('gives each subcommand its own help, not its parent\'s', async () => {
    const ca = await run('en', ['cert', 'ca', '--help']);
    expect(ca.stdout).toContain('--reuse');
    expect(ca.stdout).not.toContain('--from-pkcs12');
    const check = await run('en', ['check', '--help']);
    expect(check.stdout).toContain('--timeout');
    expect(check.stdout.split('\n').length).toBeGreaterThan(8);
  });

  it('marks an option without text instead of hiding it (so the walk above fails on a new undocumented option)', () => {
    const help = renderHelp('en', 'check', { 'brand-new-option': { type: 'boolean' } });
    expect(help).toMatch(/--brand-new-option\s+\?/);
    expect(optionHelpKey('check', 'brand-new-option')).toBeUndefined();
  });
});
