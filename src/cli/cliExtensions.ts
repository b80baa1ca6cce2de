import { runBenchCommand } from '../agent/eval/benchCommand';
import type { CliIo } from './main';

/** Subcommands that live beside the core ones, keyed by name. */
export const cliExtensions: Record<string, (argv: string[], io: CliIo) => Promise<number>> = {
  /** `anneal bench …` and `anneal bench compare a.json b.json` (docs/eval.md). */
  bench: (argv, io) =>
    runBenchCommand(argv, { stdout: io.stdout, stderr: io.stderr, env: io.env, cwd: io.cwd }),
};
