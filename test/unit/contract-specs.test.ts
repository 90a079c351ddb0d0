import { describe, expect, it } from 'vitest';
import { operationNames, operations } from '../../shared/contract/index.js';
import { isOpName, specLoaders } from '../../shared/contract/specs.js';

/** runOperation loads one domain of the contract (issue 9); it must hand out the same specs as `operations`. */
describe('per-operation spec loaders', () => {
  it('cover every operation and return its very spec', async () => {
    expect(Object.keys(specLoaders).sort()).toEqual([...operationNames].sort());
    for (const name of operationNames) expect(await specLoaders[name](), name).toBe(operations[name]);
  });

  it('know no other name', () => {
    expect(isOpName('check')).toBe(true);
    expect(isOpName('toString')).toBe(false);
    expect(isOpName('__proto__')).toBe(false);
  });
});
