import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { noSideEffects, recordingPorts } from '../../main/engine/common/side-effect-log.js';
import { realPorts } from '../../main/engine/ports/index.js';
import { runOperation, toOpError } from '../../main/engine/run-operation.js';
import { tempDir } from '../harness/temp.js';

const dir = tempDir('wss-setup-run-operation-');
afterAll(() => dir.cleanup());

function nested(depth: number, leaf: unknown, wrap: (inner: unknown) => unknown): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i += 1) value = wrap(value);
  return value;
}

describe('runOperation never throws (issue 9 item 11)', () => {
  it('answers input nested 100,000 levels deep with INVALID_INPUT, in both languages', async () => {
    const deepArray = nested(100_000, 'x', (inner) => [inner]);
    const deepObject = nested(100_000, 1, (inner) => ({ a: inner }));
    for (const input of [{ urls: deepArray }, { urls: ['ws://127.0.0.1:1/'], origin: deepObject }, { urls: [deepObject] }]) {
      for (const lang of ['en', 'zh-CN'] as const) {
        const result = await runOperation('check', input, { lang });
        expect(result.ok).toBe(false);
        if (!result.ok) {
          expect(result.error.code).toBe('INVALID_INPUT');
          expect(result.error.message.length).toBeLessThan(2000);
        }
      }
    }
  });
});

describe('INTERNAL_ERROR says what happened (issue 9 item 15)', () => {
  it('says nothing was changed only when nothing was written, removed or run', () => {
    const { effects } = recordingPorts(realPorts);
    expect(noSideEffects(effects)).toBe(true);
    const error = toOpError(new TypeError('boom'), 'en', effects);
    expect(error.code).toBe('INTERNAL_ERROR');
    expect(error.fix).toContain('Nothing was changed');
    expect(error.evidence).toEqual({ changed: false });
  });

  it('lists the files written and the commands run before the error, never claiming nothing changed', async () => {
    const { ports, effects } = recordingPorts(realPorts);
    const file = join(dir.path, 'written.conf');
    await ports.fs.writeAtomic(file, 'x');
    await ports.process.run({ command: '/bin/true', args: ['--pretend', 'hunter2'], secrets: ['hunter2'] });
    for (const lang of ['en', 'zh-CN'] as const) {
      const error = toOpError(new TypeError('boom'), lang, effects);
      expect(error.fix).not.toContain('Nothing was changed');
      expect(error.fix).not.toContain('没有做任何修改');
      expect(error.fix).toContain(file);
      expect(error.fix).toContain('/bin/true --pretend');
      expect(JSON.stringify(error)).not.toContain('hunter2');
      expect(error.evidence).toMatchObject({ changed: true, written: [file] });
    }
  });

  it('a write that is undone is no longer reported', async () => {
    const { ports, effects } = recordingPorts(realPorts);
    const receipt = await ports.fs.writeAtomic(join(dir.path, 'undone.conf'), 'x');
    await receipt.undo();
    expect(effects.written).toEqual([]);
  });
});
