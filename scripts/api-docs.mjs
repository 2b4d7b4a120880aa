/**
 * `pnpm docs`: the API reference (TypeDoc, HTML in docs/api), and a check that every
 * exported function, class and constant has TSDoc with an `@example`, and that every
 * exported type has TSDoc (TypeDoc's notDocumented validation). Exits 1 on any gap.
 */
import { Application, ReflectionKind } from 'typedoc';

const app = await Application.bootstrapWithPlugins({ options: 'typedoc.json' });
const project = await app.convert();
if (project === undefined) process.exit(1);
app.validate(project);

const NEEDS_EXAMPLE = ReflectionKind.Function | ReflectionKind.Class | ReflectionKind.Variable;
const hasExample = (comment) => comment?.blockTags.some((tag) => tag.tag === '@example') ?? false;
const missing = [];
let checked = 0;
for (const module of project.children ?? []) {
  for (const exported of module.children ?? []) {
    if (!exported.kindOf(NEEDS_EXAMPLE)) continue;
    checked++;
    const comments = [exported.comment, ...(exported.signatures ?? []).map((signature) => signature.comment)];
    if (!comments.some(hasExample)) missing.push(`${module.name}: ${exported.name}`);
  }
}
if (missing.length > 0) console.error(`Exports without an @example:\n  ${missing.join('\n  ')}`);
else console.log(`Every exported function, class and constant has an @example (${checked} checked).`);

await app.generateOutputs(project);
const failed = missing.length > 0 || app.logger.hasErrors() || app.logger.hasWarnings();
if (!failed) console.log(`API reference written to ${app.options.getValue('out')}.`);
process.exitCode = failed ? 1 : 0;
