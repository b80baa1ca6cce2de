const REDACTED = '[redacted]';

/**
 * Shapes of well-known API keys, removed even when the exact key is not known to the caller
 * (a server may echo a different key than the one configured, e.g. from a proxy).
 */
const KEY_PATTERNS: readonly RegExp[] = [
  /\bsk-ant-[A-Za-z0-9_-]{8,}/g,
  /\bsk-(?:proj-|svcacct-)?[A-Za-z0-9_-]{16,}/g,
];

/** Secrets shorter than this are not searched for: they would redact ordinary words. */
const MIN_SECRET_LENGTH = 6;

/**
 * Removes every occurrence of the given secrets, and of anything shaped like an OpenAI or
 * Anthropic key, from text meant for a user or a log.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  const known = secrets
    .filter((s): s is string => typeof s === 'string' && s.trim().length >= MIN_SECRET_LENGTH)
    .map((s) => s.trim())
    // Longest first, so a key that contains another is removed whole.
    .sort((a, b) => b.length - a.length);
  for (const secret of known) {
    out = out.split(secret).join(REDACTED);
  }
  for (const pattern of KEY_PATTERNS) {
    out = out.replace(pattern, REDACTED);
  }
  return out;
}
