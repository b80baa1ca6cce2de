import { spawnSync } from 'node:child_process';
import { AnnealError } from '../annealError';

let found: string | undefined;

/**
 * A Python interpreter that can import pytest: $ANNEAL_PYTHON, then `python3` on PATH, then the
 * system one (a pyenv shim on PATH often lacks pytest while /usr/bin/python3 has it).
 */
export function pythonWithPytest(): string {
  if (found) return found;
  const candidates = [process.env.ANNEAL_PYTHON, 'python3', '/usr/bin/python3', 'python'].filter(
    (c): c is string => typeof c === 'string' && c.length > 0,
  );
  for (const candidate of candidates) {
    const probe = spawnSync(candidate, ['-c', 'import pytest'], { stdio: 'ignore', timeout: 20_000 });
    if (probe.status === 0) {
      found = candidate;
      return candidate;
    }
  }
  throw new AnnealError(
    'notFound',
    'Python hidden tests need pytest: install it (e.g. `pip install pytest` or `apt-get install python3-pytest`) or set ANNEAL_PYTHON to an interpreter that has it.',
  );
}
