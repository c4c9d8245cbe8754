// Types of lazylink's public JS API (web/lazylink.mjs; the npm package's
// entry is its bundle, web/dist/lazylink.mjs or, for bundlers targeting the
// browser, web/dist/lazylink.browser.mjs). Written by hand: keep in step
// with web/lazylink.mjs, web/net/errors.mjs and runtime/host/context.mjs.

/** One module's progress (docs/lazy-loading.md, "Progress events"). */
export interface ModuleProgressEvent {
  /** The module's name in the manifest, e.g. "libsqlite.wasm". */
  module: string;
  /**
   * fetch: bytes arrived (several events per module as they stream in, each
   * with a larger `loaded`); compile, link, init, done: once per module.
   */
  phase: 'fetch' | 'compile' | 'link' | 'init' | 'done';
  loaded: number;
  total: number;
  /** fetch and compile: where the bytes came from. */
  source?: 'network' | 'cache' | 'file' | 'delivered' | string;
  /** fetch and compile: the bytes were asked for by a prefetch. */
  prefetch?: boolean;
}

/** A file of the app (`lazylink pack --files`) being fetched. */
export interface FileProgressEvent {
  file: string;
  phase: 'fetch';
  loaded: number;
  total: number;
}

export type ProgressEvent = ModuleProgressEvent | FileProgressEvent;

/** A JS library as for emcc --js-library (docs/em-js.md). */
export type JsLibrary = string | { file?: string; source: string } | { url: string | URL };

/** [guest path, directory object from runtime/host/fs/node.mjs's hostDirectory()]. */
export type Mount = [string, unknown];

/** docs/fetching.md, "Options". */
export interface RetryOptions {
  retries?: number;
  baseDelayMs?: number;
  factor?: number;
  maxDelayMs?: number;
}

/** Options the module fetcher takes from load() and loadComponent() (docs/fetching.md). */
export interface FetchOptions {
  /** The fetch() to use (default: globalThis.fetch; file paths and file: URLs read from disk under Node). */
  fetch?: typeof fetch;
  /** The Cache API on repeat visits (default true where available). */
  cache?: boolean;
  retry?: RetryOptions;
  concurrency?: number;
  stallTimeoutMs?: number;
  requestTimeoutMs?: number;
  manifestTimeoutMs?: number;
  manifestMaxBytes?: number;
  maxModuleBytes?: number;
  /** Development only: load modules the manifest does not list, unverified (default false). */
  allowUnlisted?: boolean;
}

export interface LinkerOptions {
  stackSize?: number;
  initialMemory?: number;
  initialHeap?: number;
  maxMemoryPages?: number;
  memoryGrowth?: { geometricStep?: number; geometricCap?: number; linearStep?: number };
}

export interface LoadOptions extends FetchOptions {
  /** Every event once: fetch (per chunk), compile, link, init, done per module; fetch per packed file. */
  onProgress?: (event: ProgressEvent) => void;
  /** The fetcher's events (retries, cache, prefetches; docs/fetching.md). */
  onEvent?: (event: { type: string; module?: string; [key: string]: unknown }) => void;
  /** argv[1..] of main. */
  args?: string[];
  env?: Record<string, string>;
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
  /** Bytes for the program's stdin; null: end of input. */
  stdin?: () => Uint8Array | null;
  /** Default: 'jspi' on a browser's main thread with JSPI, 'sync' under Node and in workers, else 'none'. */
  lazyMode?: 'jspi' | 'sync' | 'none';
  /** Fetch `prefetch`-policy modules when idle (default true). */
  prefetchWhenIdle?: boolean;
  /** Request every eager module as soon as the manifest is in (default true). */
  eagerPrefetch?: boolean;
  /** A start plan is used only without these (docs/runtime.md, "Memory"). */
  linker?: LinkerOptions;
  /** false: ignore the manifest's start plan. */
  startPlan?: boolean;
  /** Directories of the app's file system kept in IndexedDB (browsers), e.g. ['/data']. */
  persist?: string[];
  /** Node: host directories in the app's file system. */
  mounts?: Mount[];
  /** The program's working directory. */
  cwd?: string;
  jsLibrary?: JsLibrary | JsLibrary[];
  /** console.* in JS library code, EM_ASM and EM_JS write to stdout/stderr (default: the console). */
  consoleToStdio?: boolean;
}

export interface LoadedModule {
  name: string;
  timings: Record<string, number>;
  [key: string]: unknown;
}

export interface AppStats {
  symbolsBound: number;
  gotEntries: number;
  pltEntries: number;
  modules: number;
  bytes: number;
  lazyResolves: number;
  fetch: Record<string, number>;
  /** 'used', or why the manifest's start plan was not. */
  startPlan: string;
}

/** What load() resolves to. */
export class App {
  private constructor();
  /** 'used', or why the manifest's start plan was not (docs/start-plans.md). */
  readonly startPlan: string;
  /** Milliseconds load() took. */
  readonly startMs: number;
  /** What is loaded: name, sizes, placement, timings per phase. */
  readonly modules: LoadedModule[];
  readonly stats: AppStats;
  /** Settles once the loader core is in and has checked the start plan. */
  readonly ready: Promise<void>;
  /** Calls main(argc, argv); resolves to the exit code. */
  run(args?: string[]): Promise<number>;
  /** Resolves when what the program wrote under the `persist` directories is stored. */
  flushFiles(): Promise<void>;
  /** Calls an export of a loaded module (the main module's by default). */
  call(name: string, args?: Array<number | bigint>, options?: { module?: string }): Promise<unknown>;
  /** Fetches (and compiles) a module ahead of need. */
  prefetch(name: string): Promise<unknown>;
  /** Loads a lazy module now; resolves to its id in the domain. */
  loadModule(name: string): Promise<number>;
}

/** Loads an application from its manifest (lazylink.json, made by `lazylink pack`). */
export function load(manifestUrl: string | URL, options?: LoadOptions): Promise<App>;

export interface LoadComponentOptions extends FetchOptions {
  onProgress?: (event: ModuleProgressEvent) => void;
  /** JS implementations of the component's imports. */
  provide?: Record<string, unknown>;
  adapter?: 'auto' | 'wasm' | 'js';
}

export interface LoadedComponent {
  /** The component's exports, called with JS values (WIT types). */
  exports: Record<string, any>;
  memory: WebAssembly.Memory;
  set: unknown;
}

/** Loads a component (a module with a WIT boundary) from its manifest (docs/components.md). */
export function loadComponent(manifestUrl: string | URL, options?: LoadComponentOptions): Promise<LoadedComponent>;

/** A link failure: a missing symbol, a failed lazy load, a bad plan. */
export class LinkError extends Error {
  name: 'LinkError';
  module?: string;
  symbol?: string;
}

/** FetchError's `kind` (web/net/errors.mjs). */
export type FetchErrorKind =
  | 'http' | 'not-found' | 'network' | 'dropped' | 'stalled' | 'integrity' | 'sync-unavailable'
  | 'aborted' | 'manifest' | 'file' | 'too-large' | 'timeout' | 'unlisted';

/** A module or manifest that could not be fetched (docs/fetching.md, "Errors"). */
export class FetchError extends Error {
  name: 'FetchError';
  module: string;
  url: string;
  /** HTTP status, or null without a response. */
  status: number | null;
  kind: FetchErrorKind;
  /** Worth retrying (network errors, 5xx). */
  transient: boolean;
  attempts: number;
  what?: string;
}

/** Thrown inside the program by exit(); app.run() resolves to its status. */
export class ExitStatus extends Error {
  name: 'ExitStatus';
  status: number;
}
