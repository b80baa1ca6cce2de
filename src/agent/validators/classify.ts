import type { ErrorCategory } from '../../protocol/reports';

const SYNTAX_RANGE = [1000, 1999] as const;
const UNDEFINED_NAME = new Set([2304, 2552, 2551, 2339, 2662, 2663, 2583, 2584, 18004]);
const IMPORT_CODES = new Set([2305, 2307, 2614, 2724, 2792, 2613]);
const TYPE_MISMATCH = new Set([
  2322, 2345, 2352, 2353, 2355, 2366, 2367, 2362, 2363, 2365, 2349, 2350, 2351, 2416, 2430, 2454, 2531, 2532,
  2533, 2554, 2555, 2556, 2559, 2560, 2739, 2740, 2741, 2769, 2790, 4104, 18046, 18047, 18048, 18049, 2488,
  2504, 2571, 7005, 7006, 7008, 7010, 7011, 7015, 7016, 7017, 7018, 7019, 7031, 7034, 7053,
]);
/** TS1xxx codes that are semantic checks despite their range. */
const NOT_SYNTAX = new Set([
  1308, 1062, 1064, 1055, 1056, 1166, 1169, 1170, 1238, 1239, 1240, 1241, 1270, 1484,
]);

/**
 * Category of a TypeScript diagnostic. `importable` says whether the compiler offers an import
 * for the missing name (then it is a missing import, not an undefined name).
 */
export function classifyTypeScript(code: number, importable: boolean): ErrorCategory {
  if (code === 2304 || code === 2552) return importable ? 'missing_import' : 'undefined_name';
  if (code === 1484) return 'missing_import';
  if (code >= SYNTAX_RANGE[0] && code <= SYNTAX_RANGE[1] && !NOT_SYNTAX.has(code)) return 'syntax';
  if (UNDEFINED_NAME.has(code)) return 'undefined_name';
  if (IMPORT_CODES.has(code)) return 'missing_import';
  if (TYPE_MISMATCH.has(code)) return 'type_mismatch';
  return 'other';
}

/** Category of an ESLint rule violation. */
export function classifyEslint(ruleId: string | null, fatal: boolean): ErrorCategory {
  if (fatal || ruleId === null) return 'syntax';
  if (ruleId === 'no-undef' || ruleId.endsWith('/no-undef')) return 'undefined_name';
  if (ruleId.includes('import') && ruleId.includes('unresolved')) return 'missing_import';
  return 'other';
}
