// Renders Helm charts and Kustomize overlays with the real tools and turns the output into resources
// whose locators point at the files users edit (templates, values files, patches, base resources).
import { isContainerfileName } from '../dockerfile.js';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from '../../model/digest.js';
import os from 'node:os';
import path from 'node:path';
import type { InputError, JsonObject, Locator, Position, Resource, Skipped } from '../../model/types.js';
import { asArray, asObject, asString, isObject } from '../../model/json.js';
import { parseYaml, type ParsedDocument } from '../yaml.js';
import { resourcesFromDocuments } from '../resources.js';
import type { LoadResult } from '../files.js';
import { redactText } from '../../model/redact.js';
import { cacheGet, cachePut, CacheRefused, Hasher, secureCacheDir } from './cache.js';
import { findHelm, findKustomize, RendererMissing, runTool, type ExecResult, type Tool } from './tools.js';
import { readFileBounded, readTree, TREE_LIMITS, TreeRefused, type TreeRead } from './tree.js';
import { HelmSourceMap } from './helm-map.js';
import { KustomizeSourceMap, type Origin, type Transformation } from './kustomize-map.js';
import { registerAlias, shown, SourceFiles, type EditTarget } from './sources.js';
export type { EditTarget } from './sources.js';
import { readTgz } from './tar.js';

export interface RenderOptions {
  /** --values files, in order (the last wins). */
  values?: string[];
  /** --set key=value. */
  set?: string[];
  release?: string;
  namespace?: string;
  kubeVersion?: string;
  /** --helm / --kubectl: the user's binaries. */
  helm?: string;
  kubectl?: string;
  /** Per render; default 120 s. */
  timeoutMs?: number;
  /** Skip the render cache. */
  noCache?: boolean;
  /** Attach source maps (default true). Off only to measure their cost. */
  sourceMap?: boolean;
  /** Renders run at once (default: the number of CPUs, at most 8). */
  concurrency?: number;
  /**
   * Let renderers reach the network (--allow-network): remote Kustomize bases and chart
   * dependencies that are not vendored. Off by default: such inputs are not evaluated.
   */
  allowNetwork?: boolean;
}

/** An input that is refused before any renderer runs (it would leave its tree, or needs the network). */
export class RenderRefused extends Error {}

export type UnitKind = 'helm' | 'helm-tgz' | 'kustomize';

/** Locators of rendered resources also say where a fix to a rendered field is to be written. */
export interface EditableLocator extends Locator {
  edit(pointer: string): EditTarget | undefined;
}

export function isEditable(l: Locator): l is EditableLocator {
  return typeof (l as Partial<EditableLocator>).edit === 'function';
}

export interface RenderUnit {
  kind: UnitKind;
  /** Chart directory, .tgz, or kustomization directory. */
  path: string;
}

export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export function kustomizationFile(dir: string): string | undefined {
  for (const n of KUSTOMIZATION_FILES) {
    const p = path.join(dir, n);
    if (existsSync(p)) return p;
  }
  return undefined;
}

/** What a path is, for rendering purposes. */
export function classify(p: string): UnitKind | 'component' | undefined {
  let st;
  try {
    st = statSync(p);
  } catch {
    return undefined;
  }
  if (st.isFile()) return /\.tgz$|\.tar\.gz$/.test(p) ? 'helm-tgz' : undefined;
  if (!st.isDirectory()) return undefined;
  if (existsSync(path.join(p, 'Chart.yaml'))) return 'helm';
  const k = kustomizationFile(p);
  if (k) {
    try {
      if (/^kind:\s*Component\s*$/m.test(readFileBounded(k).toString('utf8'))) return 'component';
    } catch {
      /* unreadable: let the renderer say so */
    }
    return 'kustomize';
  }
  return undefined;
}

export interface Discovery {
  units: RenderUnit[];
  /** Plain manifest files outside any chart or kustomization tree. */
  plainFiles: string[];
  /** Those of plainFiles the directory listing showed as regular files (not links): loadFile need not stat them before opening. */
  regularFiles: Set<string>;
  skipped: Skipped[];
  errors: InputError[];
}

/**
 * Walks a directory: charts and kustomizations render (each nested kustomization too); files that
 * belong to a chart or an overlay tree are their sources, not manifests of their own.
 */
export function discover(root: string, extensions: string[]): Discovery {
  const out: Discovery = { units: [], plainFiles: [], regularFiles: new Set(), skipped: [], errors: [] };
  const walk = (dir: string, insideKustomize: boolean) => {
    const kind = classify(dir);
    if (kind === 'helm') {
      // A chart inside an overlay tree is a source of that tree (helmCharts, pre-rendered upstream), not an input.
      if (!insideKustomize) out.units.push({ kind, path: dir });
      return;
    }
    if (kind === 'component') {
      out.skipped.push({ file: shown(dir), reason: 'Kustomize Component: rendered by the overlays that use it, not on its own', failsClosed: false });
      insideKustomize = true;
    } else if (kind === 'kustomize') {
      out.units.push({ kind, path: dir });
      insideKustomize = true;
    }
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      out.errors.push({ file: shown(dir), message: `cannot read directory: ${(e as Error).message}` });
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const ent of entries) {
      if (ent.name === 'node_modules' || ent.name === '.git' || ent.name === '.rampart-cache') continue;
      const p = path.join(dir, ent.name);
      if (ent.isDirectory()) walk(p, insideKustomize);
      else if (!insideKustomize && (ent.isFile() || ent.isSymbolicLink()) && (extensions.includes(path.extname(ent.name).toLowerCase()) || isContainerfileName(ent.name))) {
        out.plainFiles.push(p);
        if (ent.isFile()) out.regularFiles.add(p);
      }
    }
  };
  walk(root, false);
  return out;
}

function emptyResult(): LoadResult {
  return { resources: [], skipped: [], errors: [], files: 0, bytes: 0 };
}

/** Renders with the cache: same inputs, same renderer → same output without running it. */
async function cachedRender(tool: Tool, keyArgs: string[], hash: Hasher, opts: RenderOptions, run: () => Promise<ExecResult>): Promise<{ ok: boolean; text: string; stderr: string; cached: boolean }> {
  hash.text('tool', tool.identity).text('args', JSON.stringify(keyArgs));
  const key = hash.digest();
  const useCache = !opts.noCache && hash.cacheable;
  if (useCache) {
    const hit = cacheGet(key);
    if (hit !== undefined) return { ok: true, text: hit, stderr: '', cached: true };
  }
  const r = await run();
  if (r.ok && useCache) cachePut(key, r.stdout);
  return { ok: r.ok, text: r.stdout, stderr: r.stderr, cached: false };
}

/** A fresh folder only this process can write (mkdtemp: 0700, unguessable name), for one render. */
function privateTemp(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `rampart-${prefix}-`));
}

/** Writes a chart read with readTree into `dir`: regular files and folders only, nothing linked. */
function materialize(tree: TreeRead, dir: string): void {
  for (const d of tree.dirs) mkdirSync(path.join(dir, d), { recursive: true, mode: 0o700 });
  for (const f of tree.files) writeFileSync(path.join(dir, f.rel), f.data, { mode: 0o600, flag: 'wx' });
}

/** A renderer found inside the input it would render is the input's program, not the user's: never run it. */
function assertOutside(tool: Tool, dir: string): void {
  if (tool.origin === 'bundled') return;
  try {
    const bin = realpathSync(tool.bin);
    const root = realpathSync(dir);
    if (bin.startsWith(root + path.sep)) throw new RenderRefused(`${shown(tool.bin)} lies inside the scanned input ${shown(dir)}; a renderer from the scanned tree is never run`);
  } catch (e) {
    if (e instanceof RenderRefused) throw e;
  }
}

/** Renderer messages: secrets redacted, this machine's folders named as the user gave them. */
function cleanMessage(msg: string, paths: [string, string][], known: string[]): string {
  let m = msg;
  for (const [real, display] of [...paths, [process.cwd() + path.sep, '']] as [string, string][]) m = m.split(real).join(display);
  return redactText(m, known);
}

/** Per-scan state shared by units: parsed sources and the renderers found. */
export class RenderSession {
  readonly files = new SourceFiles();
  /** Each renderer is looked up once per session; a lookup that failed fails the same way again. */
  private readonly tools = new Map<'helm' | 'kustomize', Tool | Error>();
  /** Milliseconds spent in renderers (or cache reads) and how many renders were cache hits. */
  renderMs = 0;
  cacheHits = 0;
  renders = 0;

  constructor(readonly opts: RenderOptions = {}) {}

  helmTool(): Tool {
    return this.tool('helm', () => findHelm(this.opts.helm));
  }

  kustomizeTool(): Tool {
    return this.tool('kustomize', () => findKustomize(this.opts.kubectl));
  }

  private tool(name: 'helm' | 'kustomize', find: () => Tool): Tool {
    let t = this.tools.get(name);
    if (!t) {
      try {
        t = find();
      } catch (e) {
        t = e as Error;
      }
      this.tools.set(name, t);
    }
    if (t instanceof Error) throw t;
    return t;
  }

  /** Runs (or reads from the cache) one render; only this counts as render time. */
  private async timed(tool: Tool, keyArgs: string[], hash: Hasher, run: () => Promise<ExecResult>) {
    const t0 = performance.now();
    try {
      const r = await cachedRender(tool, keyArgs, hash, this.opts, run);
      this.renders++;
      if (r.cached) this.cacheHits++;
      return r;
    } finally {
      this.renderMs += performance.now() - t0;
    }
  }

  /** Renders several units, a few at a time (renderers are separate processes); results in input order. */
  async renderAll(units: RenderUnit[]): Promise<LoadResult[]> {
    const results: LoadResult[] = new Array(units.length);
    const width = Math.max(1, Math.min(this.opts.concurrency ?? os.availableParallelism(), 8));
    let next = 0;
    const worker = async () => {
      while (next < units.length) {
        const i = next++;
        results[i] = await this.render(units[i]!);
      }
    };
    await Promise.all(Array.from({ length: Math.min(width, units.length) }, worker));
    return results;
  }

  async render(unit: RenderUnit): Promise<LoadResult> {
    try {
      if (unit.kind === 'kustomize') return await this.renderKustomize(unit.path);
      return await this.renderHelm(unit.path, unit.kind === 'helm-tgz');
    } catch (e) {
      const r = emptyResult();
      if (e instanceof RendererMissing) r.errors.push({ file: shown(unit.path), message: e.message });
      else if (e instanceof CacheRefused || e instanceof TreeRefused || e instanceof RenderRefused) r.errors.push({ file: shown(unit.path), message: `not evaluated: ${redactText(e.message)}` });
      else r.errors.push({ file: shown(unit.path), message: `could not render: ${redactText((e as Error).message)}` });
      return r;
    }
  }

  private unpackTgz(tgz: string): string {
    const buf = readFileBounded(tgz, shown(tgz));
    // Unpacked once per archive content into the checked cache; only regular files come out of readTgz.
    const dir = secureCacheDir('charts', createHash('sha256').update(buf).digest('hex').slice(0, 32));
    if (!existsSync(path.join(dir, '.complete'))) {
      for (const f of readTgz(buf, TREE_LIMITS.maxBytes)) {
        const p = path.join(dir, f.name);
        mkdirSync(path.dirname(p), { recursive: true, mode: 0o700 });
        writeFileSync(p, f.data, { mode: 0o600 });
      }
      writeFileSync(path.join(dir, '.complete'), '');
    }
    const top = readdirSync(dir, { withFileTypes: true }).find((e) => e.isDirectory() && existsSync(path.join(dir, e.name, 'Chart.yaml')));
    if (!top) throw new Error('archive holds no chart (no */Chart.yaml)');
    const chartDir = path.join(dir, top.name);
    registerAlias(chartDir, `${shown(tgz)}!`);
    return chartDir;
  }

  private async renderHelm(chart: string, packaged: boolean): Promise<LoadResult> {
    const o = this.opts;
    const tool = this.helmTool();
    const chartDir = packaged ? this.unpackTgz(chart) : path.resolve(chart);
    assertOutside(tool, chartDir);
    // The chart as helm will see it, read once: links resolved inside the chart, refused when they
    // leave it (helm would follow them to any file of this machine), loops and fifos refused.
    const tree = readTree(chartDir, { limits: TREE_LIMITS, links: 'within-root', skip: ['.git'], display: shown(chart) });
    const missing = missingDependencies(tree);
    if (missing.length > 0 && !o.allowNetwork) {
      throw new RenderRefused(
        `chart dependencies not vendored in charts/: ${missing.join(', ')}; fetching them needs the network (pass --allow-network, or run helm dependency build and scan again)`,
      );
    }
    const release = o.release ?? 'release';
    const flags: string[] = [];
    for (const v of o.values ?? []) flags.push('--values', path.resolve(v));
    for (const v of o.set ?? []) flags.push('--set', v);
    if (o.namespace) flags.push('--namespace', o.namespace);
    if (o.kubeVersion) flags.push('--kube-version', o.kubeVersion);
    const hash = new Hasher().text('kind', 'helm').text('network', String(Boolean(o.allowNetwork)));
    for (const f of tree.files) hash.bytes(f.rel, f.data);
    for (const v of o.values ?? []) hash.file(path.resolve(v));
    let sandbox = '';
    const timeoutMs = o.timeoutMs ?? 120_000;
    const r = await this.timed(tool, ['template', release, ...flags], hash, async () => {
      // Helm reads the sandbox copy, never the chart folder itself.
      sandbox = privateTemp('chart');
      try {
        const dir = path.join(sandbox, path.basename(chartDir));
        mkdirSync(dir, { mode: 0o700 });
        materialize(tree, dir);
        if (missing.length > 0) {
          const dep = await runTool(tool, ['dependency', 'update', dir], { timeoutMs, network: true });
          if (!dep.ok) return { ...dep, stderr: `helm dependency update: ${dep.stderr}` };
        }
        return await runTool(tool, ['template', release, dir, ...flags], { timeoutMs, network: o.allowNetwork });
      } finally {
        rmSync(sandbox, { recursive: true, force: true });
      }
    });
    const out = emptyResult();
    if (!r.ok) {
      const paths: [string, string][] = [[path.join(sandbox, path.basename(chartDir)), shown(chart)], [chartDir, shown(chart)]];
      out.errors.push({ file: shown(chart), message: `helm template failed: ${cleanMessage(r.stderr, sandbox ? paths : paths.slice(1), setValues(o.set))}` });
      return out;
    }
    out.files = 1;
    out.bytes = Buffer.byteLength(r.text, 'utf8');
    const chartName = chartNameOf(chartDir);
    const map = new HelmSourceMap(
      { chartDir, chartName, valuesFiles: o.values ?? [], setKeys: (o.set ?? []).map((s) => s.split('=')[0]!.split('.')) },
      this.files,
    );
    const parsed = parseYaml(r.text, `${shown(chart)} (helm template)`);
    out.errors.push(...parsed.errors);
    // `# Source: chart/templates/x.yaml` comments name each document's template.
    const lines = r.text.split('\n');
    const sourceAt: [number, string][] = [];
    lines.forEach((l, i) => {
      const m = /^# Source: (.+?)\s*$/.exec(l);
      if (m) sourceAt.push([i + 1, m[1]!]);
    });
    const docSource = (doc: ParsedDocument): string | undefined => {
      const start = doc.locate('').line;
      let s: string | undefined;
      for (const [line, src] of sourceAt) if (line <= start) s = src;
      return s;
    };
    const docs = parsed.documents.filter((d) => d.value !== null && d.value !== undefined);
    // Helm orders documents by kind: count them per template and kind.
    const kindKey = (d: ParsedDocument) => `${docSource(d)}\u0000${isObject(d.value) ? asString(d.value.kind) : ''}`;
    const perSource = new Map<string, number>();
    for (const d of docs) perSource.set(kindKey(d), (perSource.get(kindKey(d)) ?? 0) + 1);
    const seen = new Map<string, number>();
    for (const doc of docs) {
      const source = docSource(doc);
      const occurrence = seen.get(kindKey(doc)) ?? 0;
      seen.set(kindKey(doc), occurrence + 1);
      const renderedFile = source ? shown(map.templatePath(source)) : `${shown(chart)} (helm template)`;
      const res = resourcesFromDocuments([doc], renderedFile);
      out.skipped.push(...res.skipped);
      out.errors.push(...res.errors);
      for (const r0 of res.resources) {
        const rendered = (p: string): Position => {
          const l = doc.locate(r0.basePath + p);
          return { file: renderedFile, line: l.line, column: l.column };
        };
        if (o.sourceMap === false || !source) {
          r0.locator = { locate: (p) => ({ ...doc.locate(r0.basePath + p), file: renderedFile, path: p, mapping: 'guess' }), rendered };
        } else {
          const total = perSource.get(kindKey(doc)) ?? 1;
          const locator: EditableLocator = {
            locate: (p) => {
              const { edit: _edit, ...loc } = map.map(source, occurrence, total, doc.value as JsonObject, r0.basePath + p);
              return { ...loc, path: p };
            },
            rendered,
            edit: (p) => map.map(source, occurrence, total, doc.value as JsonObject, r0.basePath + p).edit,
          };
          r0.locator = locator;
        }
        // Without --namespace, helm renders the release namespace as "default". That namespace is the
        // install command's choice, not the chart's, so it must not read as "deployed to default".
        if (!o.namespace && r0.namespace === 'default' && source && this.templateUsesReleaseNamespace(map.templatePath(source))) delete r0.namespace;
        out.resources.push(r0);
      }
    }
    return out;
  }

  private releaseNamespaceUse = new Map<string, boolean>();
  private templateUsesReleaseNamespace(file: string): boolean {
    let v = this.releaseNamespaceUse.get(file);
    if (v === undefined) {
      try {
        // A templated `namespace:` (`.Release.Namespace` directly or through a helper) comes from the install.
        const text = readFileBounded(file).toString('utf8');
        v = /\.Release\.Namespace\b/.test(text) || /^\s*namespace:\s*\{\{/m.test(text);
      } catch {
        v = false;
      }
      this.releaseNamespaceUse.set(file, v);
    }
    return v;
  }

  private async renderKustomize(dir: string): Promise<LoadResult> {
    const o = this.opts;
    const tool = this.kustomizeTool();
    const abs = path.resolve(dir);
    const out = emptyResult();
    // The tree is read and hashed once; the plain and the annotated build key off its digest.
    const roots = kustomizeRoots(abs);
    if (roots.problems.length > 0) throw new RenderRefused(roots.problems.slice(0, 5).join('; '));
    if (roots.remote.length > 0 && !o.allowNetwork) {
      throw new RenderRefused(`remote resources ${roots.remote.slice(0, 5).join(', ')} need the network: not fetched without --allow-network`);
    }
    assertOutside(tool, roots.common);
    const tree = new Hasher().tree(roots.common, shown(roots.common));
    const cacheable = tree.cacheable && roots.remote.length === 0;
    const treeDigest = tree.digest();
    const keyed = () => {
      const h = new Hasher().text('kind', 'kustomize').text('tree', `${roots.common}\u0000${treeDigest}`);
      h.cacheable = cacheable;
      return h;
    };
    const plainHash = keyed();
    const timeoutMs = o.timeoutMs ?? 120_000;
    const r = await this.timed(tool, [abs], plainHash, () => runTool(tool, [abs], { timeoutMs, network: o.allowNetwork }));
    if (!r.ok) {
      out.errors.push({ file: shown(dir), message: `kustomize build failed: ${cleanMessage(r.stderr, [[abs, shown(dir)], [roots.common, shown(roots.common)]], [])}` });
      return out;
    }
    out.files = 1;
    out.bytes = Buffer.byteLength(r.text, 'utf8');
    const renderedFile = `${shown(dir)} (kustomize build)`;
    const parsed = parseYaml(r.text, renderedFile);
    out.errors.push(...parsed.errors);
    const res = resourcesFromDocuments(parsed.documents, renderedFile);
    out.skipped.push(...res.skipped);
    out.errors.push(...res.errors);
    const docByIndex = new Map(parsed.documents.map((d) => [d.index, d]));
    const rendered = (r0: Resource) => (p: string): Position => {
      const l = docByIndex.get(r0.docIndex)!.locate(r0.basePath + p);
      return { file: renderedFile, line: l.line, column: l.column };
    };
    const kfile = shown(kustomizationFile(abs) ?? path.join(abs, 'kustomization.yaml'));
    if (o.sourceMap === false) {
      for (const r0 of res.resources) {
        const rp = rendered(r0);
        r0.locator = { locate: (p) => ({ ...rp(p), path: p, mapping: 'guess' }), rendered: rp };
        r0.file = kfile;
      }
      out.resources.push(...res.resources);
      return out;
    }
    // A second build through a wrapper kustomization asks kustomize for origin and transformer annotations.
    const meta = await this.annotatedBuild(tool, abs, keyed());
    const map = new KustomizeSourceMap(this.files, abs);
    for (const r0 of res.resources) {
      const rp = rendered(r0);
      const a = meta.get(resourceKey(r0.object));
      const origin = a?.origin ?? {};
      const transformations = a?.transformations ?? [];
      if (!a) {
        r0.locator = { locate: (p) => ({ file: kfile, line: 1, column: 1, path: p, mapping: 'guess' }), rendered: rp };
      } else {
        const locator: EditableLocator = {
          locate: (p) => {
            const { edit: _edit, ...loc } = map.map(r0.object, origin, transformations, r0.basePath + p);
            return { ...loc, path: p };
          },
          rendered: rp,
          edit: (p) => map.map(r0.object, origin, transformations, r0.basePath + p).edit,
        };
        r0.locator = locator;
      }
      if (origin.path) r0.file = shown(origin.path);
      out.resources.push(r0);
    }
    if (meta.size === 0 && res.resources.length > 0) {
      out.skipped.push({ file: shown(dir), reason: 'kustomize did not return origin annotations; findings point at the kustomization (best guess)', failsClosed: false });
    }
    return out;
  }

  private async annotatedBuild(tool: Tool, abs: string, hash: Hasher): Promise<Map<string, { origin: Origin; transformations: Transformation[] }>> {
    const wrapDir = privateTemp('kustomize');
    const rel = path.relative(wrapDir, abs).split(path.sep).join('/');
    writeFileSync(
      path.join(wrapDir, 'kustomization.yaml'),
      `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ${JSON.stringify(rel)}\nbuildMetadata: [originAnnotations, transformerAnnotations]\n`,
    );
    const out = new Map<string, { origin: Origin; transformations: Transformation[] }>();
    try {
      // The wrapper's folder changes per process; the key is the overlay itself.
      // Kustomize's default load restrictor stays on: the overlay may read nothing outside its root.
      const args = [wrapDir];
      const r = await this.timed(tool, ['annotated', abs], hash, () => runTool(tool, args, { timeoutMs: this.opts.timeoutMs ?? 120_000, network: this.opts.allowNetwork }));
      if (!r.ok) return out;
      for (const d of scanAnnotated(r.text)) {
        const ann = d.annotations;
        const origin: Origin = {};
        const oo = smallYaml(ann['config.kubernetes.io/origin']);
        if (oo) {
          const p = asString(oo.path);
          const c = asString(oo.configuredIn);
          const repo = asString(oo.repo);
          if (repo) origin.repo = repo;
          else if (p) origin.path = path.resolve(wrapDir, p);
          if (c) origin.configuredIn = path.resolve(wrapDir, c);
        }
        const transformations: Transformation[] = [];
        const t = transformationsOf(ann['alpha.config.kubernetes.io/transformations']);
        for (const x of t) {
          const xo = asObject(x);
          const c = asString(xo?.configuredIn);
          const k = asString(asObject(xo?.configuredBy)?.kind);
          if (c && k) transformations.push({ configuredIn: path.resolve(wrapDir, c), kind: k });
        }
        out.set(resourceKey(d.object), { origin, transformations });
      }
    } finally {
      rmSync(wrapDir, { recursive: true, force: true });
    }
    return out;
  }
}

function resourceKey(o: JsonObject): string {
  const md = asObject(o.metadata);
  return `${asString(o.apiVersion)}|${asString(o.kind)}|${asString(md?.namespace) ?? ''}|${asString(md?.name) ?? ''}`;
}

function chartNameOf(chartDir: string): string {
  try {
    const name = chartNameIn(readFileBounded(path.join(chartDir, 'Chart.yaml')).toString('utf8'));
    if (name) return name;
  } catch {
    /* fall through */
  }
  return path.basename(chartDir);
}

/** `--set` values long enough to be credentials: never repeated in a renderer's message. */
function setValues(set: string[] | undefined): string[] {
  return (set ?? []).map((s) => s.slice(s.indexOf('=') + 1)).filter((v) => v.length >= 6 && !/^(\d+|true|false)$/i.test(v));
}

/**
 * Dependencies the chart declares (Chart.yaml, or requirements.yaml of apiVersion v1 charts) that
 * charts/ does not hold, as `name (repository)`. helm template would fail on them; fetching them is
 * network access.
 */
export function missingDependencies(tree: TreeRead): string[] {
  const text = (rel: string) => tree.files.find((f) => f.rel === rel)?.data.toString('utf8');
  const vendored = new Set<string>();
  for (const f of tree.files) {
    const sub = /^charts\/([^/]+)\/Chart\.yaml$/.exec(f.rel);
    if (sub) vendored.add(chartNameIn(f.data.toString('utf8')) ?? sub[1]!);
    const tgz = /^charts\/([^/]+?)-v?\d[^/]*\.tgz$/.exec(f.rel);
    if (tgz) vendored.add(tgz[1]!);
  }
  const out: string[] = [];
  for (const file of ['Chart.yaml', 'requirements.yaml']) {
    const t = text(file);
    if (!t) continue;
    for (const d of asArray(asObject(parseYaml(t, file).documents[0]?.value)?.dependencies)) {
      const name = asString(asObject(d)?.name);
      if (name && !vendored.has(name)) out.push(`${name} (${asString(asObject(d)?.repository) ?? 'no repository'})`);
    }
  }
  return out;
}

function chartNameIn(chartYaml: string): string | undefined {
  return /^name:\s*["']?([^"'\s]+)/m.exec(chartYaml)?.[1];
}

/** A reference kustomize would try to fetch (URL, git repository spec, `host.tld/org/repo`). */
export function isRemoteRef(ref: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/|^git::|^git@|^[\w-]+@[\w.-]+:|\?(ref|version|submodules|timeout)=|^[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?\//i.test(ref);
}

/** The closest folder at or above `dir` holding `.git`: the repository a kustomization belongs to. */
function repositoryRoot(dir: string): string | undefined {
  for (let d = dir; ; d = path.dirname(d)) {
    if (existsSync(path.join(d, '.git'))) return d;
    if (path.dirname(d) === d) return undefined;
  }
}

/**
 * The folders a kustomization reads (following resources, components and patch paths) and their
 * common ancestor, whose content hash keys the render cache; the remote references it holds (fetched
 * only with --allow-network); and the reasons it may not be rendered at all: a kustomization that
 * cannot be checked for remote references, a reference to a fifo or device, or one that leaves the
 * repository (or, outside any repository, a tree as wide as the home folder or the filesystem).
 */
export function kustomizeRoots(dir: string): { common: string; remote: string[]; problems: string[] } {
  const seen = new Set<string>();
  const paths: string[] = [];
  const remote: string[] = [];
  const problems: string[] = [];
  const repo = repositoryRoot(dir);
  const within = (p: string) => !repo || p === repo || p.startsWith(repo + path.sep);
  const visit = (d: string, depth: number) => {
    if (seen.has(d) || depth > 50) return;
    seen.add(d);
    paths.push(d);
    const kf = kustomizationFile(d);
    if (!kf) return;
    let k: JsonObject | undefined;
    try {
      const parsed = parseYaml(readFileBounded(kf, shown(kf)).toString('utf8'), kf);
      if (parsed.errors.length > 0) throw new Error(parsed.errors[0]!.message);
      k = asObject(parsed.documents[0]?.value);
    } catch (e) {
      problems.push(`cannot check ${shown(kf)} for remote references: ${(e as Error).message}`);
      return;
    }
    if (!k) return;
    const refs: string[] = [];
    for (const f of ['resources', 'bases', 'components', 'crds', 'patchesStrategicMerge', 'configurations', 'transformers', 'generators', 'validators']) {
      for (const e of asArray(k[f])) if (typeof e === 'string' && !e.includes('\n')) refs.push(e);
    }
    for (const f of ['patches', 'patchesJson6902', 'replacements']) for (const e of asArray(k[f])) {
      const p = asString(asObject(e)?.path);
      if (p) refs.push(p);
    }
    for (const f of ['configMapGenerator', 'secretGenerator']) for (const g of asArray(k[f])) {
      for (const x of [...asArray(asObject(g)?.files), ...asArray(asObject(g)?.envs), asObject(g)?.env]) {
        const s = asString(x);
        if (s) refs.push(s.includes('=') ? s.slice(s.indexOf('=') + 1) : s);
      }
    }
    const env = asString(asObject(k.openapi)?.path);
    if (env) refs.push(env);
    for (const ref of refs) {
      const p = path.resolve(d, ref);
      let st;
      try {
        st = statSync(p);
      } catch {
        // Not on disk: kustomize tries what looks like a repository over the network.
        if (isRemoteRef(ref)) remote.push(ref);
        continue;
      }
      let real = p;
      try {
        real = realpathSync(p);
      } catch {
        /* stat worked: keep the resolved name */
      }
      if (!within(real)) {
        problems.push(`${shown(kf)} reads ${ref}, outside its repository ${shown(repo!)}`);
        continue;
      }
      if (st.isDirectory()) visit(p, depth + 1);
      else if (st.isFile()) paths.push(path.dirname(p));
      else problems.push(`${shown(kf)} reads ${ref}, which is not a regular file`);
    }
  };
  visit(dir, 0);
  let common = paths[0] ?? dir;
  for (const p of paths) while (!(p + path.sep).startsWith(common + path.sep) && path.dirname(common) !== common) common = path.dirname(common);
  const home = os.homedir();
  if (!repo && (path.dirname(common) === common || home === common || home.startsWith(common + path.sep))) {
    problems.push(`${shown(dir)} reads from ${common}, a tree too wide to read (the filesystem root or above the home folder)`);
  }
  return { common, remote, problems };
}

interface AnnotatedDoc {
  object: JsonObject;
  annotations: Record<string, string>;
}

/**
 * Reads only what the source map needs from the annotated build (identity + two annotations).
 * kustomize prints canonical YAML (`metadata:` at column 0, its fields at 2, annotations at 4,
 * block scalars below), so a line scan does; a document it cannot read is parsed in full.
 */
export function scanAnnotated(text: string): AnnotatedDoc[] {
  const out: AnnotatedDoc[] = [];
  const unquote = (v: string) => {
    const t = v.trim();
    if (/^'.*'$/.test(t)) return t.slice(1, -1).replace(/''/g, "'");
    if (/^".*"$/.test(t)) {
      try {
        return JSON.parse(t) as string;
      } catch {
        return t.slice(1, -1);
      }
    }
    return t;
  };
  // Documents are split by hand and read only up to the end of `metadata` (kustomize prints
  // apiVersion, kind, metadata first): the bulk of large objects such as CRDs is never visited.
  const docStarts = [0];
  const docEnds: number[] = [];
  for (let at = text.indexOf('\n---'); at >= 0; at = text.indexOf('\n---', at + 4)) {
    const eol = text.indexOf('\n', at + 1);
    if (/^---[ \t]*$/.test(text.slice(at + 1, eol < 0 ? text.length : eol))) {
      docEnds.push(at);
      docStarts.push(eol < 0 ? text.length : eol + 1);
    }
  }
  docEnds.push(text.length);
  for (let d = 0; d < docStarts.length; d++) {
    const docEnd = docEnds[d]!;
    const start = docStarts[d]!;
    const chunk = () => text.slice(start, Math.max(start, docEnd));
    let apiVersion: string | undefined;
    let kind: string | undefined;
    let name: string | undefined;
    let namespace: string | undefined;
    const annotations: Record<string, string> = {};
    let section = '';
    let ok = true;
    let seenMetadata = false;
    let pos = start;
    const nextLine = (): string | undefined => {
      if (pos >= docEnd) return undefined;
      const eol = text.indexOf('\n', pos);
      const end = eol < 0 || eol > docEnd ? docEnd : eol;
      const l = text.slice(pos, end);
      pos = end + 1;
      return l;
    };
    let pending: string | undefined;
    for (let l = nextLine(); l !== undefined; l = pending ?? nextLine()) {
      pending = undefined;
      if (/^\S/.test(l)) {
        if (seenMetadata && kind !== undefined && !l.startsWith('apiVersion:') && !l.startsWith('kind:')) break;
        section = l.startsWith('metadata:') ? 'metadata' : '';
        if (section) seenMetadata = true;
        const m = /^(apiVersion|kind):\s*(.*)$/.exec(l);
        if (m) m[1] === 'kind' ? (kind = unquote(m[2]!)) : (apiVersion = unquote(m[2]!));
        continue;
      }
      if (section === 'metadata' || section === 'annotations') {
        const m2 = /^  (\S[^:]*):\s*(.*)$/.exec(l);
        if (m2) {
          section = 'metadata';
          if (m2[1] === 'name') name = unquote(m2[2]!);
          else if (m2[1] === 'namespace') namespace = unquote(m2[2]!);
          else if (m2[1] === 'annotations') section = 'annotations';
          continue;
        }
        if (section === 'annotations') {
          const m4 = /^    ("[^"]+"|'[^']+'|[^\s:][^:]*):\s*(.*)$/.exec(l);
          if (!m4) continue;
          const key = unquote(m4[1]!);
          if (key !== 'config.kubernetes.io/origin' && key !== 'alpha.config.kubernetes.io/transformations') continue;
          if (!/^\|/.test(m4[2]!)) {
            ok = false;
            break;
          }
          const block: string[] = [];
          for (let b = nextLine(); b !== undefined; b = nextLine()) {
            if (/^      /.test(b) || b === '') block.push(b.slice(6));
            else {
              pending = b;
              break;
            }
          }
          annotations[key] = block.join('\n');
        }
      }
    }
    if (!kind && !name && !chunk().trim()) continue;
    if (!ok || !kind || !name) {
      for (const d of parseYaml(chunk(), 'annotated').documents) {
        if (!isObject(d.value)) continue;
        out.push({ object: d.value, annotations: asStringMapOf(asObject(asObject(d.value.metadata)?.annotations)) });
      }
      continue;
    }
    const metadata: JsonObject = { name };
    if (namespace !== undefined) metadata.namespace = namespace;
    const object: JsonObject = { kind, metadata };
    if (apiVersion !== undefined) object.apiVersion = apiVersion;
    out.push({ object, annotations });
  }
  return out;
}

function asStringMapOf(o: JsonObject | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o ?? {})) if (typeof v === 'string') out[k] = v;
  return out;
}

/** `key: value` lines of a small annotation block (origin); anything fancier goes to the YAML parser. */
function smallYaml(text: string | undefined): JsonObject | undefined {
  if (!text) return undefined;
  const out: JsonObject = {};
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const m = /^([A-Za-z]+):\s*(.*)$/.exec(line);
    if (!m) {
      if (/^\s/.test(line)) continue; // nested (configuredBy:), not needed here
      return asObject(parseYaml(text, 'origin').documents[0]?.value);
    }
    if (m[2] !== '' && !/^["'[{|>&*!]/.test(m[2]!)) out[m[1]!] = m[2]!;
    else if (m[2] !== '') return asObject(parseYaml(text, 'origin').documents[0]?.value);
  }
  return out;
}

/** The transformations annotation: a list of `- configuredIn: F` / `configuredBy: {kind: K}` entries. */
function transformationsOf(text: string | undefined): JsonObject[] {
  if (!text) return [];
  const out: JsonObject[] = [];
  let cur: { configuredIn?: string; kind?: string } | undefined;
  const flush = () => {
    if (cur?.configuredIn && cur.kind) out.push({ configuredIn: cur.configuredIn, configuredBy: { kind: cur.kind } });
  };
  for (const line of text.split('\n')) {
    const item = /^- configuredIn:\s*(\S.*)$/.exec(line);
    if (item) {
      flush();
      cur = { configuredIn: item[1]!.trim() };
      continue;
    }
    const kind = /^    kind:\s*(\S+)\s*$/.exec(line);
    if (kind && cur) cur.kind = kind[1]!;
  }
  flush();
  // Unexpected layout: let the YAML parser read it.
  if (out.length === 0 && text.trim()) return asArray(parseYaml(text, 'transformations').documents[0]?.value).filter((x): x is JsonObject => isObject(x));
  return out;
}
