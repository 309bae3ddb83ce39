// Source map for kustomize output. Kustomize itself says where each resource came from
// (`config.kubernetes.io/origin`) and which transformers ran on it
// (`alpha.config.kubernetes.io/transformations`, naming the kustomization that configured each one).
// Those annotations do not say which field a patch changed, so the patches those kustomizations
// configure are read here and a rendered field is resolved to the last patch that set it, else to
// the base resource file.
import path from 'node:path';
import type { JsonObject, JsonValue } from '../../model/types.js';
import { asArray, asObject, asString, isObject } from '../../model/json.js';
import { parseYaml, type ParsedDocument } from '../yaml.js';
import { child, existingDepth, shown, SourceFiles, type Mapped } from './sources.js';

export interface Origin {
  /** Absolute path of the resource file (for resources read from files). */
  path?: string;
  /** Absolute path of the kustomization whose generator made it. */
  configuredIn?: string;
  /** Remote origin (repo URL): cannot be mapped to a local file. */
  repo?: string;
}

export interface Transformation {
  configuredIn: string;
  kind: string;
}

type Loc = Mapped & { partial?: boolean };

interface Patch {
  readonly type: 'smp' | 'json6902';
  /** File holding the patch (a patch file, or the kustomization for inline patches). */
  file: string;
  readonly docs: ParsedDocument[];
  /** Offsets added to positions of an inline patch (block scalar inside the kustomization). */
  lineOffset: number;
  colOffset: number;
  target?: JsonObject;
}

const PATCH_TRANSFORMERS: Record<string, string[]> = {
  PatchStrategicMergeTransformer: ['patchesStrategicMerge'],
  PatchJson6902Transformer: ['patchesJson6902'],
  PatchTransformer: ['patches'],
};

/** List-item merge keys used by strategic merge patch for the lists rules point into. */
const MERGE_KEYS = ['name', 'mountPath', 'containerPort', 'devicePath', 'ip', 'topologyKey', 'port'];

function escapeSeg(s: string): string {
  return '/' + s.replace(/~/g, '~0').replace(/\//g, '~1');
}

export class KustomizeSourceMap {
  private patches = new Map<string, Patch[]>();

  constructor(
    private files: SourceFiles,
    /** The overlay that was built (fallback location). */
    private root: string,
  ) {}

  private patchesOf(kustomization: string, transformer: string): Patch[] {
    const key = `${kustomization}\u0000${transformer}`;
    const cached = this.patches.get(key);
    if (cached) return cached;
    const out: Patch[] = [];
    const kf = this.files.get(kustomization);
    const k = asObject(kf?.docs[0]?.value);
    const dir = path.dirname(kustomization);
    for (const field of PATCH_TRANSFORMERS[transformer] ?? []) {
      asArray(k?.[field]).forEach((entry, i) => {
        const e = asObject(entry);
        const file = typeof entry === 'string' && !entry.includes('\n') ? entry : asString(e?.path);
        const inline = typeof entry === 'string' && entry.includes('\n') ? entry : asString(e?.patch);
        const target = asObject(e?.target);
        const type = field === 'patchesJson6902' ? 'json6902' : 'smp';
        if (file) {
          const abs = path.resolve(dir, file);
          const files = this.files;
          // Read only when a resource the patch targets asks (most targeted patches never are).
          out.push({
            get type() {
              return Array.isArray(files.get(abs)?.docs[0]?.value) ? 'json6902' : type;
            },
            file: abs,
            get docs() {
              return files.get(abs)?.docs ?? [];
            },
            lineOffset: 0,
            colOffset: 0,
            ...(target ? { target } : {}),
          });
        } else if (inline && kf) {
          const ptr = typeof entry === 'string' ? `/${field}/${i}` : `/${field}/${i}/patch`;
          const keyLoc = kf.docs[0]!.locate(ptr);
          // A block scalar's content starts on the next line, indented.
          const first = kf.lines.slice(keyLoc.line).find((l) => l.trim() !== '');
          const indent = first ? first.length - first.trimStart().length : 0;
          const blockish = /[|>][-+0-9]*\s*$/.test(kf.lines[keyLoc.line - 1] ?? '');
          const docs = parseYaml(inline, shown(kustomization)).documents;
          const isOps = Array.isArray(docs[0]?.value);
          out.push({
            type: isOps ? 'json6902' : type,
            file: kustomization,
            docs,
            lineOffset: blockish ? keyLoc.line : keyLoc.line - 1,
            colOffset: blockish ? indent : keyLoc.column - 1,
            ...(target ? { target } : {}),
          });
        }
      });
    }
    this.patches.set(key, out);
    return out;
  }

  private targets(p: Patch, rendered: JsonObject, doc: JsonValue | undefined): boolean {
    const rKind = asString(rendered.kind);
    const rName = asString(asObject(rendered.metadata)?.name) ?? '';
    const t = p.target;
    if (t) {
      if (t.kind !== undefined && t.kind !== rKind) return false;
      const n = asString(t.name);
      if (n !== undefined && n !== rName && !rName.includes(n)) {
        if (!regexFor(n)?.test(rName)) return false;
      }
      return true;
    }
    const d = asObject(doc);
    if (!d) return false;
    const pName = asString(asObject(d.metadata)?.name);
    return asString(d.kind) === rKind && pName !== undefined && (pName === rName || rName.includes(pName));
  }

  /** Position in the patch that set `walk`, or undefined when this patch did not touch it. */
  private touched(p: Patch, rendered: JsonObject, walk: string[]): Loc | undefined {
    if (p.target && !this.targets(p, rendered, undefined)) return undefined;
    const pos = (doc: ParsedDocument, ptr: string, exact: boolean, srcPtr?: string[], consumed?: number): Loc => {
      const l = doc.locate(ptr);
      const out: Loc = { file: shown(p.file), line: l.line + p.lineOffset, column: l.column + p.colOffset, mapping: exact ? 'exact' : 'guess' };
      // Inline patches live in a block scalar: not editable as YAML nodes.
      if (srcPtr && consumed !== undefined && p.lineOffset === 0 && p.colOffset === 0) out.edit = { type: 'yaml', abs: p.file, docIndex: doc.index, pointer: srcPtr, consumed };
      return out;
    };
    if (p.type === 'json6902') {
      const doc = p.docs[0];
      if (!doc) return undefined;
      if (!this.targets(p, rendered, undefined)) return undefined;
      const ops = asArray(doc.value);
      for (let i = ops.length - 1; i >= 0; i--) {
        const op = asObject(ops[i]);
        const opName = asString(op?.op);
        const opPath = asString(op?.path);
        if (!op || !opPath || !['add', 'replace', 'copy', 'move'].includes(opName ?? '')) continue;
        const segs = opPath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
        if (segs.length > walk.length) continue;
        let wildcard = false;
        const prefix = segs.every((s, j) => {
          if (s === '-') {
            wildcard = true;
            return /^\d+$/.test(walk[j]!);
          }
          return s === walk[j];
        });
        if (!prefix) continue;
        // A `-` append matches any index: only exact when it is the list's last item.
        if (wildcard) {
          const j = segs.indexOf('-');
          const list = walk.slice(0, j).reduce<JsonValue | undefined>((v, s) => child(v, s), rendered);
          if (Array.isArray(list) && Number(walk[j]) !== list.length - 1) {
            const remainingMatches = ops.some((o) => asString(asObject(o)?.path) === opPath && o !== op);
            if (!remainingMatches) continue;
          }
        }
        const rest = walk.slice(segs.length);
        const value = op.value as JsonValue | undefined;
        const depth = existingDepth(value, rest);
        const ptr = `/${i}/${opName === 'copy' || opName === 'move' ? 'from' : 'value'}` + rest.slice(0, depth).map(escapeSeg).join('');
        const editable = opName === 'add' || opName === 'replace';
        return pos(doc, ptr, depth === rest.length && !wildcard, editable ? [String(i), 'value', ...rest.slice(0, depth)] : undefined, segs.length + depth);
      }
      return undefined;
    }
    for (let d = p.docs.length - 1; d >= 0; d--) {
      const doc = p.docs[d]!;
      if (!this.targets(p, rendered, doc.value)) continue;
      let pv: JsonValue | undefined = doc.value;
      let rv: JsonValue | undefined = rendered;
      const ptr: string[] = [];
      let ok = true;
      for (const seg of walk) {
        if (Array.isArray(rv)) {
          const item = child(rv, seg);
          if (!Array.isArray(pv)) {
            ok = false;
            break;
          }
          if (isObject(item)) {
            const mk = MERGE_KEYS.find((k) => item[k] !== undefined);
            const idx = mk ? pv.findIndex((x) => isObject(x) && x[mk] === item[mk]) : -1;
            if (idx < 0) {
              ok = false;
              break;
            }
            ptr.push(String(idx));
            pv = pv[idx];
          } else {
            // A list of scalars is replaced whole by a strategic merge patch.
            break;
          }
          rv = item;
          continue;
        }
        const next = child(pv, seg);
        if (next === undefined) {
          ok = false;
          break;
        }
        ptr.push(seg);
        pv = next;
        rv = child(rv, seg);
      }
      if (ok) {
        const hit = pos(doc, ptr.map(escapeSeg).join(''), true, ptr, walk.length);
        // A mapping in a patch is merged into the base one: the patch sets some of its fields, not the node.
        if (isObject(pv) && walk.length > 0) hit.partial = true;
        return hit;
      }
    }
    return undefined;
  }

  map(rendered: JsonObject, origin: Origin, transformationsIn: Transformation[], pointer: string): Loc {
    // One entry per configuring kustomization and transformer (kustomize repeats them per patch).
    const transformations = dedupe(transformationsIn);
    const segs = pointer === '' ? [] : pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    const walk = segs.slice(0, existingDepth(rendered, segs));
    // Patches, last applied first: the last one that set the field is where to edit it.
    let partial: Loc | undefined;
    if (walk.length > 0) {
      for (let i = transformations.length - 1; i >= 0 && !partial; i--) {
        const t = transformations[i]!;
        if (!PATCH_TRANSFORMERS[t.kind]) continue;
        const ps = this.patchesOf(t.configuredIn, t.kind);
        for (let j = ps.length - 1; j >= 0; j--) {
          const hit = this.touched(ps[j]!, rendered, walk);
          if (hit && hit.partial) {
            // The patch merges into this mapping: the base defines it, unless the patch added it.
            delete hit.partial;
            partial = hit;
            break;
          }
          if (hit) return hit;
        }
      }
    }
    const res = this.fromOrigin(rendered, origin, transformations, walk);
    if (partial && (res.mapping === 'guess' || res.depth < walk.length)) return partial;
    const { depth: _d, ...loc } = res;
    return loc;
  }

  private fromOrigin(rendered: JsonObject, origin: Origin, transformations: Transformation[], walk: string[]): Loc & { depth: number } {
    const full = walk.length;
    // An `images` entry rewrites the reference even when it leaves it unchanged: edit it there.
    if (walk[walk.length - 1] === 'image' && transformations.some((t) => t.kind === 'ImageTagTransformer')) {
      const k = this.transformerKey(walk, transformations, rendered);
      if (k && k.mapping === 'exact') return { ...k, depth: full };
    }
    if (origin.path) {
      const f = this.files.get(origin.path);
      if (f) {
        const kind = asString(rendered.kind);
        const name = asString(asObject(rendered.metadata)?.name) ?? '';
        const sameKind = f.docs.filter((d) => isObject(d.value) && asString(d.value.kind) === kind);
        const byName = sameKind.find((d) => {
          const n = asString(asObject((d.value as JsonObject).metadata)?.name);
          return n !== undefined && (n === name || name.includes(n));
        });
        const doc = byName ?? (sameKind.length === 1 ? sameKind[0] : undefined);
        if (doc) {
          // Patches may insert list items: follow items by merge key (name), not by index.
          const { ptr: basePtr, depth } = translate(doc.value, rendered, walk);
          const l = doc.locate(basePtr.map(escapeSeg).join(''));
          // A field the base does not have came from a transformer (labels, images, namespace...).
          const baseValue = basePtr.reduce<JsonValue | undefined>((v, x) => child(v, x), doc.value);
          const renderedValue = walk.reduce<JsonValue | undefined>((v, x) => child(v, x), rendered);
          const changed = depth === walk.length && baseValue !== renderedValue && (typeof renderedValue !== 'object' || renderedValue === null);
          const fromTransformer = depth < walk.length || changed;
          let mapping: 'exact' | 'guess' = byName && !fromTransformer ? 'exact' : 'guess';
          if (fromTransformer) {
            const k = this.transformerKey(walk, transformations, rendered);
            if (k) return { ...k, depth: full };
            mapping = 'guess';
          }
          const out: Loc = { file: l.file, line: l.line, column: l.column, mapping };
          if (mapping === 'exact') out.edit = { type: 'yaml', abs: origin.path, docIndex: doc.index, pointer: basePtr, consumed: depth };
          return { ...out, depth };
        }
      }
      return { file: shown(origin.path), line: 1, column: 1, mapping: 'guess', depth: 0 };
    }
    if (origin.configuredIn) {
      const f = this.files.get(origin.configuredIn);
      const k = asObject(f?.docs[0]?.value);
      const name = asString(asObject(rendered.metadata)?.name) ?? '';
      for (const field of ['configMapGenerator', 'secretGenerator']) {
        const i = asArray(k?.[field]).findIndex((g) => {
          const n = asString(asObject(g)?.name);
          return n !== undefined && name.startsWith(n);
        });
        if (i >= 0 && f) {
          const l = f.docs[0]!.locate(`/${field}/${i}`);
          return { file: l.file, line: l.line, column: l.column, mapping: 'guess', depth: 0 };
        }
      }
      return { file: shown(origin.configuredIn), line: 1, column: 1, mapping: 'guess', depth: 0 };
    }
    return { file: shown(path.join(this.root, 'kustomization.yaml')), line: 1, column: 1, mapping: 'guess', depth: 0 };
  }

  /** Fields that builtin transformers write map to the kustomization key that configures them. */
  private transformerKey(walk: string[], transformations: Transformation[], rendered: JsonObject): Loc | undefined {
    const want: [RegExp, string, string[]][] = [
      [/^\/metadata\/namespace$/, 'NamespaceTransformer', ['namespace']],
      [/\/(labels|matchLabels)(\/|$)/, 'LabelTransformer', ['labels', 'commonLabels']],
      [/\/annotations(\/|$)/, 'AnnotationsTransformer', ['commonAnnotations']],
      [/\/image$/, 'ImageTagTransformer', ['images']],
      [/^\/spec\/replicas$/, 'ReplicaCountTransformer', ['replicas']],
    ];
    const ptr = walk.map(escapeSeg).join('');
    for (const [re, kind, keys] of want) {
      if (!re.test(ptr)) continue;
      const t = [...transformations].reverse().find((x) => x.kind === kind);
      if (!t) continue;
      const f = this.files.get(t.configuredIn);
      const k = asObject(f?.docs[0]?.value);
      if (kind === 'ImageTagTransformer' && f) {
        // The `images` entry for this image: the rendered reference starts with its newName or name.
        const image = asString(walk.reduce<JsonValue | undefined>((v, x) => child(v, x), rendered)) ?? '';
        const repo = image.replace(/@.*$/, '').replace(/:[^/:]*$/, '');
        const i = asArray(k?.images).findIndex((e) => {
          const o = asObject(e);
          return asString(o?.newName) === repo || (asString(o?.newName) === undefined && asString(o?.name) === repo);
        });
        if (i >= 0) {
          const entry = asObject(asArray(k?.images)[i])!;
          const field = image.includes('@') && entry.digest !== undefined ? 'digest' : entry.newTag !== undefined ? 'newTag' : entry.newName !== undefined ? 'newName' : 'name';
          const l = f.docs[0]!.locate(`/images/${i}/${field}`);
          return { file: l.file, line: l.line, column: l.column, mapping: 'exact', edit: { type: 'yaml', abs: t.configuredIn, docIndex: 0, pointer: ['images', String(i), field], consumed: walk.length } };
        }
      }
      const key = keys.find((x) => k?.[x] !== undefined);
      if (f && key) {
        const l = f.docs[0]!.locate(`/${key}`);
        return { file: l.file, line: l.line, column: l.column, mapping: 'guess' };
      }
    }
    return undefined;
  }
}

/** Follows `walk` (through the rendered object) in a source document, matching list items by merge key. */
export function translate(source: JsonValue | undefined, rendered: JsonValue, walk: string[]): { ptr: string[]; depth: number } {
  let sv = source;
  let rv: JsonValue | undefined = rendered;
  const ptr: string[] = [];
  for (let i = 0; i < walk.length; i++) {
    const seg = walk[i]!;
    if (Array.isArray(rv) && Array.isArray(sv)) {
      const item = child(rv, seg);
      const mk = isObject(item) ? MERGE_KEYS.find((k) => item[k] !== undefined) : undefined;
      const idx = mk && isObject(item) ? sv.findIndex((x) => isObject(x) && x[mk] === item[mk]) : Number(seg);
      const next = idx >= 0 ? child(sv, String(idx)) : undefined;
      if (next === undefined) return { ptr, depth: i };
      ptr.push(String(idx));
      sv = next;
      rv = item;
      continue;
    }
    const next = child(sv, seg);
    if (next === undefined) return { ptr, depth: i };
    ptr.push(seg);
    sv = next;
    rv = child(rv, seg);
  }
  return { ptr, depth: walk.length };
}

const dedupeCache = new WeakMap<Transformation[], Transformation[]>();

/** Keeps the last occurrence of each (kustomization, transformer) pair, in order. */
function dedupe(ts: Transformation[]): Transformation[] {
  const hit = dedupeCache.get(ts);
  if (hit) return hit;
  const seen = new Set<string>();
  const out: Transformation[] = [];
  for (let i = ts.length - 1; i >= 0; i--) {
    const k = `${ts[i]!.configuredIn}\u0000${ts[i]!.kind}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.unshift(ts[i]!);
  }
  dedupeCache.set(ts, out);
  return out;
}

const regexes = new Map<string, RegExp | null>();

/** kustomize target names are regular expressions; compiled once. */
function regexFor(n: string): RegExp | null {
  if (!regexes.has(n)) {
    let r: RegExp | null = null;
    try {
      r = new RegExp(`^(?:${n})$`);
    } catch {
      r = null;
    }
    regexes.set(n, r);
  }
  return regexes.get(n)!;
}
