/** One failed test as a runner reported it, before it becomes a report. */
export interface TestFailure {
  /** The test's full name (suites joined with " > "), or the test file when it did not load. */
  name: string;
  /** The assertion or error message, in full. */
  message: string;
  /** Stack text or other output that may locate the failure in the target file. */
  stack?: string;
}

/** The text shown for a failure: the message, then expected and actual when the runner gave them. */
export function failureMessage(message: string, expected?: unknown, actual?: unknown): string {
  const text = message.replace(/\s+$/, '');
  if (expected === undefined || actual === undefined) return text;
  const show = (v: unknown): string =>
    typeof v === 'string' ? v : (JSON.stringify(v, null, 2) ?? String(v));
  return `${text}\nexpected: ${show(expected)}\nactual: ${show(actual)}`;
}
