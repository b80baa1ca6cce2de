import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type * as TS from 'typescript';
import { AnnealError } from '../../annealError';
import type { TypeScriptModule } from './loadTypeScript';

interface CachedFile {
  version: number;
  mtimeMs: number;
  snapshot: TS.IScriptSnapshot;
  text: string;
}

interface Overlay {
  version: number;
  text: string;
  snapshot: TS.IScriptSnapshot;
}

/** Options for a file that belongs to no tsconfig.json (what tsserver's inferred projects use, stricter). */
function inferredOptions(ts: TypeScriptModule): TS.CompilerOptions {
  return {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    allowJs: true,
    skipLibCheck: true,
    noEmit: true,
  };
}

/**
 * One tsconfig project kept warm: a LanguageService whose host serves unchanged files from a
 * cache (read once) and candidate text from an in-memory overlay, so re-checking an edited file
 * costs what the LanguageService's incremental update costs, and nothing touches disk.
 */
export class TsProject {
  readonly service: TS.LanguageService;
  readonly options: TS.CompilerOptions;
  /** Problems in tsconfig.json itself (unknown options, bad globs): reported as tsc would. */
  readonly configDiagnostics: readonly TS.Diagnostic[];
  readonly configMtimeMs: number;
  private readonly rootNames: Set<string>;
  private readonly files = new Map<string, CachedFile>();
  private readonly overlays = new Map<string, Overlay>();
  private projectVersion = 0;
  private overlayCounter = 0;

  constructor(
    readonly ts: TypeScriptModule,
    /** Absolute path of tsconfig.json, or undefined for an inferred project. */
    readonly configFile: string | undefined,
    readonly rootDir: string,
  ) {
    if (configFile) {
      const read = ts.readConfigFile(configFile, (p) => ts.sys.readFile(p));
      if (read.error) {
        throw new AnnealError(
          'badInput',
          `${configFile} cannot be read: ${ts.flattenDiagnosticMessageText(read.error.messageText, '\n')}. Fix the tsconfig.json (it must be valid JSON) and try again.`,
        );
      }
      const parsed = ts.parseJsonConfigFileContent(
        read.config,
        ts.sys,
        dirname(configFile),
        undefined,
        configFile,
      );
      this.options = { ...parsed.options, noEmit: true };
      this.rootNames = new Set(parsed.fileNames.map((f) => resolve(f)));
      // "No inputs were found" is not a reason to refuse checking an explicitly named file.
      this.configDiagnostics = parsed.errors.filter((d) => d.code !== 18003);
      this.configMtimeMs = statSync(configFile).mtimeMs;
    } else {
      this.options = inferredOptions(ts);
      this.rootNames = new Set();
      this.configDiagnostics = [];
      this.configMtimeMs = 0;
    }
    this.service = ts.createLanguageService(this.createHost(), ts.createDocumentRegistry());
  }

  /** Whether the config named this file as one of its inputs. */
  includes(file: string): boolean {
    return this.rootNames.has(resolve(file));
  }

  /** Stands `text` in for `file` until cleared. Cheap: no program is rebuilt until diagnostics are asked for. */
  setOverlay(file: string, text: string): void {
    const key = resolve(file);
    const current = this.overlays.get(key);
    if (current && current.text === text) return;
    this.overlays.set(key, {
      version: ++this.overlayCounter,
      text,
      snapshot: this.ts.ScriptSnapshot.fromString(text),
    });
    this.projectVersion++;
  }

  clearOverlay(file: string): void {
    if (this.overlays.delete(resolve(file))) this.projectVersion++;
  }

  /** The text the project currently sees for a file (overlay first, then disk). */
  textOf(file: string): string | undefined {
    const key = resolve(file);
    return this.overlays.get(key)?.text ?? this.diskFile(key)?.text;
  }

  /**
   * Drops cached disk text of files changed since they were read. Called once per run, not per
   * validation, so the warm path never stats the whole project.
   */
  refreshFromDisk(): void {
    let changed = false;
    for (const [file, cached] of this.files) {
      let mtimeMs = -1;
      try {
        mtimeMs = statSync(file).mtimeMs;
      } catch {
        // Deleted: drop it; the program will see it as missing.
      }
      if (mtimeMs !== cached.mtimeMs) {
        this.files.delete(file);
        changed = true;
      }
    }
    if (changed) this.projectVersion++;
  }

  /** Whether tsconfig.json changed on disk since this project was created. */
  configChanged(): boolean {
    if (!this.configFile) return false;
    try {
      return statSync(this.configFile).mtimeMs !== this.configMtimeMs;
    } catch {
      return true;
    }
  }

  /**
   * The diagnostics `tsc --noEmit -p` reports for this file: its syntactic errors, or when it
   * has none, its semantic ones (tsc does not type-check a file that does not parse). With
   * `tscParity`, also tsc's program-wide rule: no semantic errors while any file fails to parse.
   */
  diagnostics(file: string, opts: { tscParity?: boolean } = {}): TS.Diagnostic[] {
    const key = resolve(file);
    const program = this.service.getProgram();
    const sf = program?.getSourceFile(key);
    if (!program || !sf) {
      throw new AnnealError(
        'internal',
        `TypeScript did not load ${key}. Check that the file exists and is a .ts/.tsx/.js file.`,
      );
    }
    const syntactic = program.getSyntacticDiagnostics(sf);
    if (syntactic.length > 0) return sortDiagnostics([...syntactic]);
    // tsc type-checks nothing while any file of the program fails to parse. The engine does not
    // follow that (a syntax error elsewhere must not hide this file's errors); `check` does.
    if (opts.tscParity && program.getSyntacticDiagnostics().length > 0) return [];
    return sortDiagnostics([...program.getSemanticDiagnostics(sf)]);
  }

  sourceFile(file: string): TS.SourceFile | undefined {
    return this.service.getProgram()?.getSourceFile(resolve(file));
  }

  dispose(): void {
    this.service.dispose();
    this.files.clear();
    this.overlays.clear();
  }

  private diskFile(file: string): CachedFile | undefined {
    const cached = this.files.get(file);
    if (cached) return cached;
    let text: string;
    let mtimeMs: number;
    try {
      text = readFileSync(file, 'utf8');
      mtimeMs = statSync(file).mtimeMs;
    } catch {
      return undefined;
    }
    const entry: CachedFile = {
      version: ++this.overlayCounter,
      mtimeMs,
      text,
      snapshot: this.ts.ScriptSnapshot.fromString(text),
    };
    this.files.set(file, entry);
    return entry;
  }

  private createHost(): TS.LanguageServiceHost {
    const ts = this.ts;
    const sys = ts.sys;
    return {
      getProjectVersion: () => String(this.projectVersion),
      getCompilationSettings: () => this.options,
      getScriptFileNames: () => {
        const names = new Set(this.rootNames);
        for (const f of this.overlays.keys()) names.add(f);
        return [...names];
      },
      getScriptVersion: (f) => {
        const key = resolve(f);
        const overlay = this.overlays.get(key);
        if (overlay) return `o${overlay.version}`;
        const disk = this.diskFile(key);
        return disk ? `d${disk.version}` : '';
      },
      getScriptSnapshot: (f) => {
        const key = resolve(f);
        return this.overlays.get(key)?.snapshot ?? this.diskFile(key)?.snapshot;
      },
      getCurrentDirectory: () => this.rootDir,
      getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
      fileExists: (f) => this.overlays.has(resolve(f)) || this.files.has(resolve(f)) || sys.fileExists(f),
      readFile: (f, enc) =>
        this.overlays.get(resolve(f))?.text ?? this.diskFile(resolve(f))?.text ?? sys.readFile(f, enc),
      readDirectory: (p, ext, exc, inc, depth) => sys.readDirectory(p, ext, exc, inc, depth),
      directoryExists: (d) => sys.directoryExists(d),
      getDirectories: (d) => sys.getDirectories(d),
      realpath: sys.realpath ? (p) => sys.realpath!(p) : undefined,
      useCaseSensitiveFileNames: () => sys.useCaseSensitiveFileNames,
      getNewLine: () => sys.newLine,
    };
  }
}

/** tsc's order: by position, then code. */
function sortDiagnostics(diags: TS.Diagnostic[]): TS.Diagnostic[] {
  return diags.sort(
    (a, b) => (a.start ?? 0) - (b.start ?? 0) || (a.length ?? 0) - (b.length ?? 0) || a.code - b.code,
  );
}
