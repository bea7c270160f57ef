// What the firmware uses of TypeBox at run time, from this one module, which
// build.sh bundles into a single file in dist/. TypeBox ships as some 250 ES
// modules, and Node's loader resolving and reading them one by one took 130
// to 190 ms of every command that checks the config or a payload; bundled,
// the same code loads in 13 to 18 ms (docs/bench.md, start-up). Types come
// from the package itself (`import type`), which costs nothing at run time.
export { Type } from '@sinclair/typebox';
export { TypeCompiler } from '@sinclair/typebox/compiler';
export { ValueErrorType } from '@sinclair/typebox/errors';
export { Value } from '@sinclair/typebox/value';
