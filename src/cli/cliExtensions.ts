import { runBenchCommand } from '../agent/eval/benchCommand';
import type { CliIo } from './main';

/** Subcommands that live beside the core ones (e.g. `bench`), keyed by name. */
export const cliExtensions: Record<string, (argv: string[], io: CliIo) => Promise<number>> = {
  bench: runBenchCommand,
};
