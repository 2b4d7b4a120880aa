import { type Io, run } from '../src/program.ts';

/** Runs the CLI in-process and collects what it printed. */
export async function countersign(args: string[], env: NodeJS.ProcessEnv = {}, extra: Partial<Io> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    env,
    ...extra,
  });
  return { code, stdout, stderr };
}
