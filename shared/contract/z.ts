/**
 * The part of zod the project uses, as named exports. Files import it as `import * as z from './z.js'`
 * and write `z.string()` as before; the bundler then keeps only these functions instead of zod's
 * whole namespace (every locale, JSON-schema tools, ~450 KB minified), which was a third of the
 * CLI's start-up (bench:check, issue 9). Add a name here when a schema needs another zod function.
 */
export { array, boolean, discriminatedUnion, enum, literal, null, number, object, preprocess, record, strictObject, string, union, unknown } from 'zod';
export type { infer, input, output, ZodType } from 'zod';
export type { core } from 'zod';
