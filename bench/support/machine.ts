import { cpus, loadavg, platform, release, totalmem } from 'node:os';

/** One line naming the machine a figure was measured on: CPU, cores, memory, OS, Node, load. */
export function describeMachine(): string {
  const list = cpus();
  const model = list[0]?.model.trim().replace(/\s+/g, ' ') ?? 'unknown CPU';
  const memGiB = Math.round(totalmem() / 2 ** 30);
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  return `${model}, ${list.length} cores, ${memGiB} GiB, ${platform()} ${release()}, Node ${process.version}, load avg ${load}`;
}
