import { spawn } from 'node:child_process';
import { tscPath } from './benchProject';

/** One diagnostic as `tsc --pretty false` prints it; line and column 1-based. */
export interface TscDiagnostic {
  file: string;
  line: number;
  column: number;
  code: string;
  message: string;
}

export interface TscRun {
  wallMs: number;
  /** User + system CPU of the child, from its resource usage. */
  cpuMs: number;
  exitCode: number | null;
  diagnostics: TscDiagnostic[];
}

/**
 * Preloaded into the tsc process to print its own CPU time on exit: the machine is shared, so
 * CPU time is the figure that load does not inflate.
 */
const CPU_REPORTER = `data:text/javascript,${encodeURIComponent(
  "process.on('exit',()=>{const u=process.cpuUsage();process.stderr.write('@@cpu '+(u.user+u.system)/1000+'\\n')})",
)}`;

const HEADER = /^(.+?)\((\d+),(\d+)\): (?:error|warning|message) (TS\d+): (.*)$/;

/** Parses tsc's plain output: a header line per diagnostic, chained message lines after it. */
export function parseTscOutput(output: string): TscDiagnostic[] {
  const out: TscDiagnostic[] = [];
  let current: TscDiagnostic | undefined;
  for (const line of output.split(/\r?\n/)) {
    const m = HEADER.exec(line);
    if (m) {
      current = {
        file: m[1] ?? '',
        line: Number(m[2]),
        column: Number(m[3]),
        code: m[4] ?? '',
        message: m[5] ?? '',
      };
      out.push(current);
    } else if (current && line.startsWith(' ')) {
      current.message += `\n${line}`;
    } else if (line.trim() !== '') {
      current = undefined;
    }
  }
  return out;
}

/** Spawns `node tsc --noEmit -p <dir> --pretty false`, as a tool that checks each candidate with tsc would. */
export function runTsc(projectDir: string): Promise<TscRun> {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const args = ['--import', CPU_REPORTER, tscPath(), '--noEmit', '-p', projectDir, '--pretty', 'false'];
    const child = spawn(process.execPath, args, { cwd: projectDir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    const timer = setTimeout(() => child.kill('SIGKILL'), 10 * 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const wallMs = performance.now() - started;
      const cpu = /@@cpu ([\d.]+)/.exec(stderr)?.[1];
      resolvePromise({
        wallMs,
        cpuMs: cpu ? Number(cpu) : Number.NaN,
        exitCode: code,
        diagnostics: parseTscOutput(stdout),
      });
    });
  });
}
