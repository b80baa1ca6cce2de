import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

export interface TscDiagnostic {
  file: string;
  line: number;
  column: number;
  code: string;
  message: string;
}

/** Runs the real `tsc --noEmit -p dir` and parses its plain output (1-based positions). */
export function runTsc(dir: string): TscDiagnostic[] {
  const tsc = require.resolve('typescript/bin/tsc');
  const out = spawnSync(process.execPath, [tsc, '--noEmit', '-p', '.', '--pretty', 'false'], {
    encoding: 'utf8',
    cwd: dir,
  });
  const diags: TscDiagnostic[] = [];
  for (const line of out.stdout.split('\n')) {
    const m = /^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/.exec(line);
    if (m) {
      diags.push({
        file: resolve(dir, m[1]!),
        line: Number(m[2]),
        column: Number(m[3]),
        code: m[4]!,
        message: m[5]!,
      });
    } else if (line.startsWith('  ') && diags.length > 0) {
      diags[diags.length - 1]!.message += `\n${line.trim()}`;
    }
  }
  return diags;
}
