import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type * as TS from 'typescript';
import type { TypeScriptModule } from '../../src/agent/validators/typescript/loadTypeScript';

interface Entry {
  version: number;
  snapshot: TS.IScriptSnapshot;
}

/**
 * The floor for (c): a bare LanguageServiceHost over the same tsconfig, with an edit applied as a
 * version bump of one in-memory snapshot. Nothing else: no overlays map, no reports, no
 * classification. What the engine costs above this is its own overhead.
 */
export class RawLanguageService {
  readonly service: TS.LanguageService;
  private readonly files = new Map<string, Entry>();
  private readonly edits = new Map<string, Entry>();
  private readonly rootNames: string[];
  private readonly options: TS.CompilerOptions;
  private projectVersion = 0;
  private counter = 0;

  constructor(
    private readonly ts: TypeScriptModule,
    tsconfig: string,
  ) {
    const read = ts.readConfigFile(tsconfig, (p) => ts.sys.readFile(p));
    const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, dirname(tsconfig), undefined, tsconfig);
    this.options = parsed.options;
    this.rootNames = parsed.fileNames.map((f) => resolve(f));
    const sys = ts.sys;
    const host: TS.LanguageServiceHost = {
      getProjectVersion: () => String(this.projectVersion),
      getCompilationSettings: () => this.options,
      getScriptFileNames: () => this.rootNames,
      getScriptVersion: (f) => String(this.entry(f)?.version ?? ''),
      getScriptSnapshot: (f) => this.entry(f)?.snapshot,
      getCurrentDirectory: () => dirname(tsconfig),
      getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
      fileExists: (f) => sys.fileExists(f),
      readFile: (f, enc) => sys.readFile(f, enc),
      readDirectory: (p, ext, exc, inc, depth) => sys.readDirectory(p, ext, exc, inc, depth),
      directoryExists: (d) => sys.directoryExists(d),
      getDirectories: (d) => sys.getDirectories(d),
      realpath: sys.realpath ? (p) => sys.realpath!(p) : undefined,
      useCaseSensitiveFileNames: () => sys.useCaseSensitiveFileNames,
    };
    this.service = ts.createLanguageService(host, ts.createDocumentRegistry());
  }

  /** Replaces a file's text in memory (a new version). */
  setText(file: string, text: string): void {
    this.edits.set(resolve(file), {
      version: ++this.counter,
      snapshot: this.ts.ScriptSnapshot.fromString(text),
    });
    this.projectVersion++;
  }

  /** Back to the text on disk. */
  reset(file: string): void {
    if (this.edits.delete(resolve(file))) this.projectVersion++;
  }

  /** tsc's per-file answer: syntactic errors, else semantic ones. */
  diagnostics(file: string): TS.Diagnostic[] {
    const syntactic = this.service.getSyntacticDiagnostics(file);
    if (syntactic.length > 0) return syntactic;
    return this.service.getSemanticDiagnostics(file);
  }

  private entry(file: string): Entry | undefined {
    const key = resolve(file);
    const edited = this.edits.get(key);
    if (edited) return edited;
    let entry = this.files.get(key);
    if (!entry) {
      let text: string;
      try {
        text = readFileSync(key, 'utf8');
      } catch {
        return undefined;
      }
      entry = { version: ++this.counter, snapshot: this.ts.ScriptSnapshot.fromString(text) };
      this.files.set(key, entry);
    }
    return entry;
  }
}
