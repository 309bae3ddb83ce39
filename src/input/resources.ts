// Turns parsed documents into resources: expands Lists, skips non-Kubernetes YAML with a note.
import type { InputError, JsonObject, Locator, Resource, Skipped } from '../model/types.js';
import { asArray, asObject, asString, asStringMap, isObject, joinPointer } from '../model/json.js';
import type { ParsedDocument } from './yaml.js';

export interface DocumentsResult {
  resources: Resource[];
  skipped: Skipped[];
  errors: InputError[];
}

/**
 * Locator for an object found at `basePath` inside a parsed document. It holds the document's
 * locate function, not the document: the document's value must not outlive the object's (a scan
 * releases the values of objects whose rules ran as they were read).
 */
export function documentLocator(doc: ParsedDocument, basePath: string): Locator {
  const locate = doc.locate;
  const will = doc.willLocate;
  return {
    locate: (p: string) => locate(basePath + p),
    willLocate: will && ((ps: readonly string[]) => will(basePath === '' ? ps : ps.map((p) => basePath + p))),
  };
}

/** Builds a Resource from an object; `undefined` when it lacks apiVersion/kind. */
export function toResource(obj: JsonObject, file: string, docIndex: number, basePath: string, locator: Locator): Resource | undefined {
  const apiVersion = asString(obj.apiVersion);
  const kind = asString(obj.kind);
  if (!apiVersion || !kind) return undefined;
  const md = asObject(obj.metadata) ?? {};
  const name = asString(md.name) ?? asString(md.generateName) ?? '';
  const namespace = asString(md.namespace);
  const r: Resource = {
    apiVersion,
    kind,
    name,
    labels: asStringMap(md.labels),
    annotations: asStringMap(md.annotations),
    object: obj,
    file,
    docIndex,
    basePath,
    locator,
    // Always present (undefined when absent), in this order: every object read has one shape, so
    // the rules' and analyses' reads of resources stay monomorphic.
    namespace: namespace !== undefined && namespace !== '' ? namespace : undefined,
    root: undefined,
  };
  return r;
}

export function isListKind(kind: string): boolean {
  return kind === 'List' || kind.endsWith('List');
}

/** Reads a List document's items (true), or false when it has none (`items` absent or null: the document is then read as one object, as before). */
function listItems(v: JsonObject, kind: string, doc: ParsedDocument, file: string, out: DocumentsResult): boolean {
  const items = v.items;
  if (items === undefined || items === null) return false;
  if (!Array.isArray(items)) {
    const p = doc.locate('/items');
    out.errors.push({ file, line: p.line, column: p.column, message: `${kind}.items is not a list; its objects cannot be evaluated` });
    return true;
  }
  asArray(items).forEach((item, i) => {
    if (item === null) return; // kubectl skips null items of a List
    const basePath = joinPointer('', 'items', i);
    const loc = documentLocator(doc, basePath);
    if (!isObject(item)) {
      const p = loc.locate('');
      out.errors.push({ file, line: p.line, column: p.column, message: `${kind} item ${i} is not an object` });
      return;
    }
    const r = toResource(item, file, doc.index, basePath, loc);
    if (r) out.resources.push(r);
    else {
      const p = loc.locate('');
      out.skipped.push({ file, line: p.line, reason: `${kind} item ${i} has no apiVersion/kind`, failsClosed: false });
    }
  });
  return true;
}

export function resourcesFromDocuments(docs: ParsedDocument[], file: string): DocumentsResult {
  const out: DocumentsResult = { resources: [], skipped: [], errors: [] };
  for (const doc of docs) {
    const v = doc.value;
    if (v === null || v === undefined) continue; // empty document (e.g. trailing ---)
    if (!isObject(v)) {
      out.skipped.push({ file, line: doc.line, reason: 'not a Kubernetes object (document is not a mapping)', failsClosed: false });
      continue;
    }
    const kind = asString(v.kind);
    if (!asString(v.apiVersion) || !kind) {
      out.skipped.push({ file, line: doc.line, reason: 'not a Kubernetes object (no apiVersion/kind)', failsClosed: false });
      continue;
    }
    // A List's `items` is read in a function of its own: values come in many shapes, and a List
    // document of a shape first met late deoptimised this whole loop.
    if (isListKind(kind) && listItems(v, kind, doc, file, out)) continue;
    const r = toResource(v, file, doc.index, '', documentLocator(doc, ''));
    if (r) out.resources.push(r);
  }
  return out;
}
