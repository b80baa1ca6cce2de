import { writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createTwoFilesPatch } from 'diff';
import { ProviderId, RunParams, type ParsedRunParams, type RunTarget } from '../protocol/agentProtocol';
import { errorCount, type ValidationReport } from '../protocol/reports';
import { AnnealError } from '../agent/annealError';
import { writeFileAtomic } from '../agent/edits/atomicWrite';
import { introducesNewError } from '../agent/fixers/tsCodeFixer';
import { newRunId } from '../agent/engine/engine';
import { getEngine, disposeEngine } from '../agent/engine/sharedEngine';
import { runLogToMarkdown } from '../agent/runLog/runLogMarkdown';
import { assertInsideWorkspace } from '../agent/workspace/fileGuard';
import { findProjectRoot } from '../agent/workspace/projectRoot';
import { cliExtensions } from './cliExtensions';

/** Exit codes; stable, documented in README.md. */
export const EXIT = { clean: 0, errors: 1, usage: 2, needsModel: 3 } as const;

export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

const HELP = `anneal — validated, staged code repair and generation

Usage:
  anneal check <file...> [--project DIR] [--json]
  anneal repair <file> [--symbol NAME | --range L1:L2] [--provider none|auto|openai|anthropic|openai-compatible]
                [--model M] [--base-url URL] [--max-attempts N] [--apply | --diff] [--json] [--project DIR]
                [--log-json FILE] [--log-md FILE]
  anneal generate <file> --symbol NAME [--instruction TEXT] [same options as repair]
  anneal bench [options]            (see docs/eval.md)

Exit codes: 0 the target is clean, 1 errors remain, 2 bad usage or bad input,
            3 the remaining errors need a model and none is configured (the file is untouched).
`;

class UsageError extends Error {}

function toCliDiagnostic(r: ValidationReport) {
  return {
    line: r.line + 1,
    column: r.character + 1,
    code: r.code,
    category: r.category,
    message: r.message,
    tool: r.tool,
  };
}

function parseRange(value: string): RunTarget {
  const m = /^(\d+):(\d+)$/.exec(value);
  if (!m)
    throw new UsageError(`--range takes L1:L2 (1-based, inclusive), e.g. --range 10:24; got '${value}'.`);
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (start < 1 || end < start)
    throw new UsageError(`--range ${value}: lines start at 1 and L2 must be ≥ L1.`);
  return { kind: 'range', startLine: start - 1, endLine: end - 1 };
}

async function check(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { project: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  if (positionals.length === 0) throw new UsageError('check needs at least one file.');
  const projectDir = values.project ? resolve(io.cwd, values.project) : undefined;
  const files = positionals.map((f) => resolve(io.cwd, f));
  if (projectDir) for (const f of files) assertInsideWorkspace(f, projectDir);
  const result = await getEngine().check({ files, projectDir, workspaceRoot: projectDir });
  const anyError = result.files.some((f) => f.reports.some((r) => r.severity === 'error'));
  if (values.json) {
    const out = {
      files: result.files.map((f) => ({ file: f.file, diagnostics: f.reports.map(toCliDiagnostic) })),
    };
    io.stdout(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    let count = 0;
    for (const f of result.files) {
      const rel = relative(io.cwd, f.file) || f.file;
      for (const r of f.reports) {
        count++;
        io.stdout(
          `${rel}:${r.line + 1}:${r.character + 1} - ${r.severity} ${r.code} [${r.category}] ${r.message} (${r.tool})\n`,
        );
      }
    }
    io.stdout(
      `${count === 0 ? 'No problems' : `${count} problem${count === 1 ? '' : 's'}`} in ${result.files.length} file${result.files.length === 1 ? '' : 's'}.\n`,
    );
  }
  return anyError ? EXIT.errors : EXIT.clean;
}

async function repairOrGenerate(goal: 'repair' | 'generate', argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      symbol: { type: 'string' },
      range: { type: 'string' },
      instruction: { type: 'string' },
      provider: { type: 'string' },
      model: { type: 'string' },
      'base-url': { type: 'string' },
      'max-attempts': { type: 'string' },
      candidates: { type: 'string' },
      'test-command': { type: 'string' },
      apply: { type: 'boolean', default: false },
      diff: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      project: { type: 'string' },
      'log-json': { type: 'string' },
      'log-md': { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new UsageError(`${goal} takes exactly one file.`);
  if (values.apply && values.diff) throw new UsageError('Use either --apply or --diff, not both.');
  if (values.symbol && values.range) throw new UsageError('Use either --symbol or --range, not both.');
  if (goal === 'generate' && !values.symbol && !values.range)
    throw new UsageError('generate needs --symbol NAME (or --range L1:L2).');
  const file = resolve(io.cwd, positionals[0]!);
  const projectDir = values.project ? resolve(io.cwd, values.project) : findProjectRoot(file);
  const provider = values.provider ?? io.env.ANNEAL_PROVIDER ?? 'auto';
  const parsedProvider = ProviderId.safeParse(provider);
  if (!parsedProvider.success)
    throw new UsageError(`--provider must be one of ${ProviderId.options.join(', ')}; got '${provider}'.`);
  const target: RunTarget = values.symbol
    ? { kind: 'symbol', name: values.symbol }
    : values.range
      ? parseRange(values.range)
      : { kind: 'file' };
  const maxAttempts = values['max-attempts'] !== undefined ? Number(values['max-attempts']) : undefined;
  const candidates = values.candidates !== undefined ? Number(values.candidates) : undefined;
  const parsed = RunParams.safeParse({
    runId: newRunId(),
    goal,
    file,
    target,
    instruction: values.instruction,
    workspaceRoot: projectDir,
    projectDir,
    trusted: true,
    settings: {
      provider: parsedProvider.data,
      model: values.model ?? io.env.ANNEAL_MODEL,
      baseUrl: values['base-url'] ?? io.env.ANNEAL_BASE_URL,
      ...(maxAttempts !== undefined ? { maxAttempts } : {}),
      ...(candidates !== undefined ? { candidates } : {}),
      ...(values['test-command'] ? { testCommand: values['test-command'] } : {}),
    },
    apiKeys: { openai: io.env.OPENAI_API_KEY, anthropic: io.env.ANTHROPIC_API_KEY },
  });
  if (!parsed.success)
    throw new UsageError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const params: ParsedRunParams = parsed.data;

  const proposal = await getEngine().run(params, {
    log: (level, message) => {
      if (level !== 'debug') io.stderr(`${message}\n`);
    },
  });
  const log = proposal.runLog;
  if (values['log-json'])
    writeFileSync(resolve(io.cwd, values['log-json']), `${JSON.stringify(log, null, 2)}\n`);
  if (values['log-md']) writeFileSync(resolve(io.cwd, values['log-md']), runLogToMarkdown(log));

  const rel = relative(projectDir, file) || file;
  const diff =
    proposal.newText === proposal.baseText
      ? ''
      : createTwoFilesPatch(`a/${rel}`, `b/${rel}`, proposal.baseText, proposal.newText, '', '', {
          context: 3,
        });
  const errorsAfter = errorCount(proposal.reports);
  let applied = false;
  let applyNote = '';
  if (values.apply) {
    const better =
      errorsAfter < log.summary.errorsBefore && !introducesNewError(log.reportsBefore, proposal.reports);
    if (proposal.newText === proposal.baseText) applyNote = 'Nothing to apply: the file is unchanged.';
    else if (!better)
      applyNote = 'Not applied: the result does not have fewer errors than the file, or it adds a new one.';
    else {
      writeFileAtomic(file, proposal.newText, proposal.baseHash);
      applied = true;
      applyNote = `Applied to ${rel}.`;
    }
  }
  const status = proposal.verdict;
  if (values.json) {
    io.stdout(
      `${JSON.stringify(
        {
          status,
          applied,
          errorsBefore: log.summary.errorsBefore,
          errorsAfter,
          fixes: log.fixes,
          diff,
          runLog: log,
        },
        null,
        2,
      )}\n`,
    );
  } else {
    if (!values.apply && diff) io.stdout(diff);
    io.stderr(`${proposal.runLog.message}\n`);
    for (const r of proposal.reports) {
      io.stderr(`  ${rel}:${r.line + 1}:${r.character + 1} ${r.code} [${r.category}] ${r.message}\n`);
    }
    if (applyNote) io.stderr(`${applyNote}\n`);
  }
  if (status === 'needs_model') return EXIT.needsModel;
  return errorsAfter === 0 ? EXIT.clean : EXIT.errors;
}

/** Runs the CLI; returns the exit code. Never throws. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'check':
        return await check(rest, io);
      case 'repair':
        return await repairOrGenerate('repair', rest, io);
      case 'generate':
        return await repairOrGenerate('generate', rest, io);
      case '--version':
      case '-v':
        io.stdout(`${process.env.ANNEAL_VERSION ?? '0.1.0'}\n`);
        return EXIT.clean;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.stdout(HELP);
        return command === undefined ? EXIT.usage : EXIT.clean;
      default: {
        const ext = cliExtensions[command];
        if (ext) return await ext(rest, io);
        throw new UsageError(`Unknown command '${command}'.`);
      }
    }
  } catch (e) {
    if (
      e instanceof UsageError ||
      (e instanceof TypeError && (e as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS'))
    ) {
      io.stderr(`anneal: ${e.message}\n\n${HELP}`);
      return EXIT.usage;
    }
    if (AnnealError.is(e)) {
      io.stderr(`anneal: ${e.message}\n`);
      return e.reason === 'needsModel' ? EXIT.needsModel : EXIT.usage;
    }
    io.stderr(`anneal: unexpected failure: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT.usage;
  } finally {
    disposeEngine();
  }
}

if (require.main === module) {
  void runCli(process.argv.slice(2), {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    env: process.env,
    cwd: process.cwd(),
  }).then((code) => {
    process.exitCode = code;
  });
}
