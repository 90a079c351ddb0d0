import type { CliIO } from '../../io.js';

/** Reads a line from the terminal without echoing it; null without a terminal or on Ctrl-C / Ctrl-D. */
export async function promptHidden(question: string, io: CliIO): Promise<string | null> {
  const stdin = process.stdin;
  if (!stdin.isTTY || typeof stdin.setRawMode !== 'function') return null;
  io.stderr(question);
  return new Promise((resolvePrompt) => {
    let text = '';
    stdin.setRawMode(true);
    stdin.resume();
    const done = (value: string | null) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      io.stderr('\n');
      resolvePrompt(value);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done(text);
        if (ch === '\u0003' || ch === '\u0004') return done(null);
        if (ch === '\u007f' || ch === '\b') text = text.slice(0, -1);
        else text += ch;
      }
    };
    stdin.on('data', onData);
  });
}
