/** Helpers shared by the bench tasks' files; a task may need to import one of them. */

/** Splits text into words on any run of whitespace, dropping empty pieces. */
export function words(text: string): string[] {
  return text.split(/\s+/).filter((w) => w.length > 0);
}

/** The file name without its folders and without its last extension. */
export function stem(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

/** True for ASCII letters and digits. */
export function isAlphanumeric(ch: string): boolean {
  return /^[A-Za-z0-9]$/.test(ch);
}
