// Skim mode of the block reader (bodies of kinds no rule reads, checked but not built): it must
// accept exactly the documents the value reader accepts, keep apiVersion, kind and metadata as read,
// and a scan with it must report exactly what a scan without it reports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { manifestFiles } from './support/manifest-files.js';
import { blockDocumentValue, blockPositions, WARM_UP_DOCUMENTS, type SkimKinds } from '../src/input/kube-yaml-block.js';
import { splitDocuments } from '../src/input/kube-yaml.js';
import { blockOffsetOf, wantedPaths } from '../src/input/kube-yaml-positions.js';
import { parseAllDocuments } from 'yaml';
import { DEFAULT_LIMITS, KUBERNETES_YAML_OPTIONS } from '../src/input/yaml.js';
import { loadInputs, loadText } from '../src/input/files.js';
import type { JsonValue } from '../src/model/types.js';
import { defineRule } from '../src/engine/rule.js';
import { EarlyRules } from '../src/engine/early.js';
import { emptyConfig } from '../src/engine/config.js';
import { builtinRules } from '../src/rules/index.js';
import { earlyRules, podTemplatesNotEvaluated, scanLoaded } from '../src/cli/scan-options.js';

const CORPORA = ['../shared/corpus/real-world', '../shared/corpus/checks', '../shared/corpus/netpol', '../shared/corpus/kustomize', '../shared/corpus/charts'];
const DEPTH = DEFAULT_LIMITS.maxDepth - 2;
/** Every kind skimmed: each corpus document's body goes through skim mode. */
const EVERY: SkimKinds = { has: () => true };
const CRD: SkimKinds = new Set(['CustomResourceDefinition']);

/** What skim mode should give: the full value without the keys after `kind` but apiVersion, kind and metadata. */
function skimmedView(v: JsonValue): JsonValue {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
  const out: Record<string, JsonValue> = {};
  let after = false;
  for (const [k, x] of Object.entries(v)) {
    if (after && k !== 'apiVersion' && k !== 'metadata') continue;
    out[k] = x;
    if (k === 'kind' && typeof x === 'string') after = true;
  }
  return out;
}

/** Whether `v` has what unknownPodTemplate reads (then skim mode reads the document whole). */
const hasPodTemplateKey = (v: JsonValue): boolean => {
  const spec = typeof v === 'object' && v !== null && !Array.isArray(v) ? v.spec : undefined;
  return typeof spec === 'object' && spec !== null && !Array.isArray(spec) && ('template' in spec || 'jobTemplate' in spec);
};

function corpusDocuments(): { file: string; text: string }[] {
  const docs: { file: string; text: string }[] = [];
  for (const corpus of CORPORA.filter((c) => existsSync(c))) {
    for (const f of manifestFiles(corpus)) {
      const text = readFileSync(f, 'utf8');
      for (const s of splitDocuments(text)) if (s.content >= 0) docs.push({ file: f, text: text.slice(s.start, s.end) });
    }
  }
  return docs;
}

const absent = CORPORA.filter((c) => !existsSync(c));
if (absent.length) console.warn(`\n!!! SKIPPED corpora (absent): ${absent.join(', ')} !!!\n`);
const DOCS = corpusDocuments();
const CRD_DOCS = DOCS.filter((d) => /^kind: CustomResourceDefinition$/m.test(d.text) && blockDocumentValue(d.text, DEPTH) !== undefined);

test('skim mode accepts exactly the corpus documents the value reader accepts, and keeps what it keeps', (t) => {
  if (DOCS.length === 0) return t.skip('no corpus');
  let accepted = 0;
  let whole = 0;
  const differences: string[] = [];
  for (const { file, text } of DOCS) {
    const full = blockDocumentValue(text, DEPTH);
    const skim = blockDocumentValue(text, DEPTH, false, EVERY);
    if (!full !== !skim) {
      differences.push(`${file}: value reader ${full ? 'accepts' : 'declines'}, skim mode ${skim ? 'accepts' : 'declines'}`);
      continue;
    }
    if (!full || !skim) continue;
    accepted++;
    const expected = hasPodTemplateKey(full.value) ? full.value : skimmedView(full.value);
    if (expected === full.value) whole++;
    if (!isDeepStrictEqual(skim.value, expected)) differences.push(`${file}: skimmed value differs`);
  }
  console.log(`${DOCS.length} corpus documents: ${accepted} accepted by both readers (${whole} read whole for a pod template), ${DOCS.length - accepted - differences.length} declined by both, ${differences.length} differences`);
  assert.deepEqual(differences.slice(0, 10), []);
  assert.ok(accepted > 2000);
});

/** A small deterministic generator (mulberry32), so a failure names a reproducible case. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let r = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

/** A line of a document's body: `indent`, then `key: value` (value possibly empty). */
const ENTRY = /^( *)(- )?([A-Za-z][\w.-]*): ?(.*)$/;

/** Lines of block scalars (`key: |` and the lines indented past it): text, not YAML structure. */
function blockScalarLines(lines: string[]): Set<number> {
  const inside = new Set<number>();
  for (let i = 0; i < lines.length; i++) {
    if (!/:\s*[|>][-+]?\s*$/.test(lines[i]!)) continue;
    const indent = lines[i]!.search(/\S/);
    for (let j = i + 1; j < lines.length && (lines[j]!.trim() === '' || lines[j]!.search(/\S/) > indent); j++) inside.add(j);
  }
  return inside;
}

/**
 * Mutations of one line of a CRD's body (past `kind`), each of a kind the value reader must decline
 * or read differently: `always` ones make every YAML reader here decline.
 */
const MUTATIONS: { name: string; always: boolean; apply(lines: string[], i: number, m: RegExpExecArray): boolean }[] = [
  {
    name: 'duplicate key',
    always: true,
    apply(lines, i, m) {
      if (m[2] || m[4] === '' || m[4]!.startsWith('|') || m[4]!.startsWith('>')) return false;
      lines.splice(i + 1, 0, `${m[1]}${m[3]}: again`);
      return true;
    },
  },
  { name: 'tab in indentation', always: true, apply: (lines, i, m) => m[1]!.length > 0 && ((lines[i] = '\t' + lines[i]!.slice(1)), true) },
  { name: 'alias value', always: true, apply: (lines, i, m) => m[4] !== '' && !m[4]!.startsWith('|') && ((lines[i] = `${m[1]}${m[2] ?? ''}${m[3]}: *anchor`), true) },
  { name: 'anchor', always: true, apply: (lines, i, m) => m[4] !== '' && !m[4]!.startsWith('|') && ((lines[i] = `${m[1]}${m[2] ?? ''}${m[3]}: &a ${m[4]}`), true) },
  { name: 'tag', always: true, apply: (lines, i, m) => m[4] !== '' && !m[4]!.startsWith('|') && ((lines[i] = `${m[1]}${m[2] ?? ''}${m[3]}: !!str x`), true) },
  { name: 'bad escape', always: true, apply: (lines, i, m) => m[4] !== '' && !m[4]!.startsWith('|') && ((lines[i] = `${m[1]}${m[2] ?? ''}${m[3]}: "a\\qb"`), true) },
  { name: 'unclosed quote', always: true, apply: (lines, i, m) => m[4] !== '' && !m[4]!.startsWith('|') && ((lines[i] = `${m[1]}${m[2] ?? ''}${m[3]}: "abc`), true) },
  { name: 'flow duplicate key', always: true, apply: (lines, i, m) => m[4] !== '' && !m[4]!.startsWith('|') && ((lines[i] = `${m[1]}${m[2] ?? ''}${m[3]}: {a: 1, a: 2}`), true) },
  { name: 'indented one more', always: false, apply: (lines, i) => ((lines[i] = ' ' + lines[i]), true) },
  { name: 'indented one less', always: false, apply: (lines, i, m) => m[1]!.length > 0 && ((lines[i] = lines[i]!.slice(1)), true) },
  { name: 'colon in a plain value', always: false, apply: (lines, i, m) => m[4] !== '' && !m[4]!.startsWith('|') && ((lines[i] = `${m[1]}${m[2] ?? ''}${m[3]}: a: b`), true) },
  { name: 'non-finite number', always: false, apply: (lines, i, m) => m[4] !== '' && !m[4]!.startsWith('|') && ((lines[i] = `${m[1]}${m[2] ?? ''}${m[3]}: ${['.inf', '-.Inf', '.nan', '1e999', '9'.repeat(400)][i % 5]}`), true) },
  { name: 'key read as a boolean', always: false, apply: (lines, i, m) => ((lines[i] = `${m[1]}${m[2] ?? ''}on: ${m[4]}`), true) },
  { name: 'trailing comma in a flow sequence', always: false, apply: (lines, i, m) => m[4] !== '' && !m[4]!.startsWith('|') && ((lines[i] = `${m[1]}${m[2] ?? ''}${m[3]}: [a, b,]`), true) },
  { name: 'comment glued to a value', always: false, apply: (lines, i, m) => m[4] !== '' && !m[4]!.startsWith('|') && ((lines[i] = `${m[1]}${m[2] ?? ''}${m[3]}: "x"# c`), true) },
];

test('mutated CRDs (duplicate keys deep in the schema, tabs, aliases, tags, escapes, indentation...): skim mode declines exactly where the value reader does', (t) => {
  if (CRD_DOCS.length === 0) return t.skip('no CRD in the corpus');
  const next = random(18);
  const counts = new Map<string, { tried: number; declined: number }>();
  const differences: string[] = [];
  const missed: string[] = [];
  for (let round = 0; round < 6; round++) {
    for (const { file, text } of CRD_DOCS) {
      const lines = text.split('\n');
      const kindAt = lines.findIndex((l) => l.startsWith('kind:'));
      // A line of the body, deep in the schema when the document has one.
      const body: number[] = [];
      let top = '';
      for (let i = kindAt + 1; i < lines.length; i++) {
        const l = lines[i]!;
        if (!l.startsWith(' ')) top = l;
        if (ENTRY.test(l) && !/^(apiVersion|kind|metadata):/.test(top)) body.push(i);
      }
      if (body.length === 0) continue;
      const mutation = MUTATIONS[Math.floor(next() * MUTATIONS.length)]!;
      const i = body[Math.floor(next() * body.length)]!;
      const copy = lines.slice();
      if (!mutation.apply(copy, i, ENTRY.exec(lines[i]!)!)) continue;
      const mutated = copy.join('\n');
      const full = blockDocumentValue(mutated, DEPTH);
      const skim = blockDocumentValue(mutated, DEPTH, false, CRD);
      if (mutation.always && skim && !blockScalarLines(lines).has(i)) missed.push(`${file} line ${i + 1}, ${mutation.name}: accepted`);
      const c = counts.get(mutation.name) ?? { tried: 0, declined: 0 };
      counts.set(mutation.name, c);
      c.tried++;
      if (!skim) c.declined++;
      if (!full !== !skim) differences.push(`${file} line ${i + 1}, ${mutation.name}: value reader ${full ? 'accepts' : 'declines'}, skim ${skim ? 'accepts' : 'declines'}`);
      else if (full && skim && !isDeepStrictEqual(skim.value, hasPodTemplateKey(full.value) ? full.value : skimmedView(full.value))) differences.push(`${file} line ${i + 1}, ${mutation.name}: values differ`);
    }
  }
  console.log(`mutated CRDs (${CRD_DOCS.length} documents): ${[...counts].map(([n, c]) => `${n} ${c.declined}/${c.tried} declined`).join('; ')}; ${differences.length} differences`);
  assert.deepEqual(differences.slice(0, 10), []);
  assert.deepEqual(missed.slice(0, 10), []);
  assert.ok([...counts.values()].reduce((n, c) => n + c.tried, 0) > 500);
});

test('generated multi-line plain and block scalars: values equal the position-aware parser\'s; skim declines where the value reader does', () => {
  const next = random(21);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const TOKENS = ['word', 'a:b', 'x: y', 'end:', '#c', ' #c', 'a#b', '\t', 'tab\tin', '-', '- x', '-x', '?', '? x', ':', ':x', '"q"', "'q'", '[a]', '{b}', '&a', '*a', '!t', '|', '>', '%', '@', '`', '.inf', '0x1F', 'yes', '~'];
  const line = () => Array.from({ length: 1 + Math.floor(next() * 4) }, () => pick(TOKENS)).join(pick([' ', '  ', '']));
  let accepted = 0;
  let compared = 0;
  const differences: string[] = [];
  for (let n = 0; n < 6000; n++) {
    const indent = pick([2, 4, 6]);
    const pad = ' '.repeat(indent);
    const lines = [`${pad}description: ${pick(['word', 'two words', 'x', 'a-b', '|', '|-', '|+', '>', '|2', '| # c'])}${pick(['', ' '])}`];
    for (let k = Math.floor(next() * 5); k > 0; k--) {
      const r = next();
      if (r < 0.12) lines.push(pick(['', ' '.repeat(indent), ' '.repeat(indent + 2), ' '.repeat(indent + 3), ' '.repeat(indent + 5)]));
      else lines.push(' '.repeat(Math.max(0, indent + pick([-1, 0, 1, 1, 1, 2, 3]))) + line() + pick(['', ' ', '  ']));
    }
    const spec = ['spec:', ...(indent > 2 ? ['  a:'] : []), ...(indent > 4 ? ['    b:'] : [])];
    const text = ['apiVersion: v1', 'kind: CustomResourceDefinition', 'metadata: {name: x}', ...spec, ...lines, `${pad}type: string`, ''].join('\n');
    const full = blockDocumentValue(text, DEPTH);
    const skim = blockDocumentValue(text, DEPTH, false, CRD);
    if (!full !== !skim) differences.push(`skim ${skim ? 'accepts' : 'declines'}, value reader ${full ? 'accepts' : 'declines'}: ${JSON.stringify(text)}`);
    if (!full) continue;
    accepted++;
    const ref = parseAllDocuments(text, { ...KUBERNETES_YAML_OPTIONS, uniqueKeys: false });
    const doc = Array.isArray(ref) ? ref[0] : undefined;
    if (!doc || doc.errors.length) {
      differences.push(`accepted, the position-aware parser rejects: ${JSON.stringify(text)}`);
      continue;
    }
    compared++;
    if (!isDeepStrictEqual(full.value, doc.toJS())) differences.push(`value differs: ${JSON.stringify(text)}`);
  }
  console.log(`generated multi-line plain and block scalars: 6000 documents, ${accepted} accepted by the value reader, ${compared} compared with the position-aware parser, ${differences.length} differences`);
  assert.deepEqual(differences.slice(0, 5), []);
  assert.ok(accepted > 1000);
});

test('skim mode: the order of keys, kept keys, nested duplicates and pod templates', () => {
  const value = (text: string) => blockDocumentValue(text, DEPTH, false, CRD)?.value;
  // `kind` after the body: the body is read whole.
  assert.deepEqual(value('apiVersion: v1\nspec:\n  a: 1\nkind: CustomResourceDefinition\n'), { apiVersion: 'v1', spec: { a: 1 }, kind: 'CustomResourceDefinition' });
  // After `kind`: apiVersion and metadata kept, the rest skimmed.
  assert.deepEqual(value('kind: CustomResourceDefinition\nspec:\n  a: [1, 2]\n  b: |\n    x\nstatus: {}\napiVersion: v1\nmetadata:\n  name: crd\n'), { kind: 'CustomResourceDefinition', apiVersion: 'v1', metadata: { name: 'crd' } });
  // Another kind is not skimmed.
  assert.deepEqual(value('kind: Pod\nspec:\n  a: 1\n'), { kind: 'Pod', spec: { a: 1 } });
  // Duplicates: in the skimmed body at any depth, a skimmed key twice, a kept key after the body.
  const deep = ['kind: CustomResourceDefinition', 'spec:', '  versions:', '  - name: v1', '    schema:', '      openAPIV3Schema:', '        properties:', ...Array.from({ length: 20 }, (_, i) => `          p${i}: {type: string}`)];
  assert.ok(value(deep.join('\n') + '\n'));
  assert.equal(value([...deep, '          p3: {type: string}'].join('\n') + '\n'), undefined);
  assert.equal(value([...deep.slice(0, 8), '          p0: {type: string}'].join('\n') + '\n'), undefined);
  assert.equal(value('kind: CustomResourceDefinition\nspec: {}\nspec: {}\n'), undefined);
  assert.equal(value('kind: CustomResourceDefinition\nspec: {}\nkind: CustomResourceDefinition\n'), undefined);
  // Numbers a double cannot hold: the value reader declines them (js-yaml reads them), so skim mode does.
  for (const n of ['.inf', '-.Inf', '.NaN', '1e999', '0x' + 'f'.repeat(300), '9'.repeat(400)]) {
    const text = `kind: CustomResourceDefinition\nspec:\n  a:\n    b: ${n}\n`;
    assert.equal(blockDocumentValue(text, DEPTH), undefined, n);
    assert.equal(value(text), undefined, n);
  }
  // A pod template where unknownPodTemplate looks: read whole (the scan names it as not evaluated).
  const template = 'apiVersion: v1\nkind: CustomResourceDefinition\nmetadata: {name: t}\nspec:\n  template:\n    spec:\n      containers: [{name: c, image: x}]\n';
  assert.deepEqual(value(template), blockDocumentValue(template, DEPTH)?.value);
  const load = loadText(template, 't.yaml', { ...DEFAULT_LIMITS, skim: CRD });
  assert.equal(podTemplatesNotEvaluated(load.resources).length, 1);
});

test('errors of CRDs broken deep in their schema are the same with and without skimming', () => {
  const crd = (line: string) =>
    ['apiVersion: apiextensions.k8s.io/v1', 'kind: CustomResourceDefinition', 'metadata: {name: a.example.com}', 'spec:', '  group: example.com', '  versions:', '  - name: v1', '    schema:', '      openAPIV3Schema:', '        type: object', '        properties:', '          size: {type: integer}', line].join('\n');
  const text = [crd('          size: {type: string}'), crd('          other: *x'), crd('\t        other: {}'), crd('          other: "\\q"'), crd('          other: {type: string}')].join('\n---\n') + '\n';
  const read = loadText(text, 'crds.yaml');
  const skimmed = loadText(text, 'crds.yaml', { ...DEFAULT_LIMITS, skim: CRD });
  assert.equal(read.errors.length, 4);
  assert.equal(JSON.stringify(skimmed.errors), JSON.stringify(read.errors));
  assert.equal(JSON.stringify(skimmed.skipped), JSON.stringify(read.skipped));
  assert.deepEqual(
    skimmed.resources.map((r) => r.object),
    [{ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'a.example.com' } }],
  );
  assert.equal(read.resources.length, 1);
});

test('the plan says which kinds are skimmed: built-in rules skim CRDs; a rule that reads every kind and says nothing turns it off', () => {
  const config = emptyConfig();
  assert.deepEqual([...new EarlyRules({ rules: builtinRules, config }, []).skimKinds], ['CustomResourceDefinition']);
  const reader = defineRule({ meta: { id: 'mine/any', title: 't', severity: 'low', rationale: 'r', remediation: 'r', references: {} }, check: () => undefined });
  assert.deepEqual([...new EarlyRules({ rules: [...builtinRules, reader], config }, []).skimKinds], []);
  const pods = defineRule({ meta: { ...reader.meta, id: 'mine/pods', kinds: ['Pod'] }, check: () => undefined });
  assert.deepEqual([...new EarlyRules({ rules: [...builtinRules, pods], config }, []).skimKinds], ['CustomResourceDefinition']);
  const declared = defineRule({ meta: { ...reader.meta, id: 'mine/declared', readsOnlyMetadataOf: ['CustomResourceDefinition'] }, check: () => undefined });
  assert.deepEqual([...new EarlyRules({ rules: [...builtinRules, declared], config }, []).skimKinds], ['CustomResourceDefinition']);
});

test('a scan that skims CRD bodies reports exactly what a scan that reads them reports (real-world corpus)', async (t) => {
  const corpus = path.join('..', 'shared', 'corpus', 'real-world');
  if (!existsSync(corpus)) {
    console.log(`SKIPPED: corpus ${corpus} is absent`);
    return t.skip(`corpus ${corpus} is absent`);
  }
  const config = emptyConfig();
  const scan = async (skim: boolean) => {
    const early = await earlyRules({ rules: builtinRules, config, settings: {} });
    const load = await loadInputs([corpus], skim ? { ...DEFAULT_LIMITS, skim: early.skimKinds } : undefined, false, undefined, (l) => early.take(l.resources));
    return { report: await scanLoaded(load, builtinRules, { config, settings: {}, early }), released: early.released };
  };
  const read = await scan(false);
  const skimmed = await scan(true);
  console.log(`${skimmed.report.findings.length} findings, ${skimmed.report.errors.length} errors, ${skimmed.released} objects released, both runs`);
  assert.equal(skimmed.released, read.released);
  assert.equal(JSON.stringify(skimmed.report), JSON.stringify(read.report));
});

test('the reader warm-up documents are read (value, skim and position mode) or declined as meant, values as the position-aware parser gives them', () => {
  const { read, ends, declined, wanted } = WARM_UP_DOCUMENTS;
  for (const text of [read, ...ends]) {
    const value = blockDocumentValue(text, DEPTH);
    assert.ok(value, `warm-up document declined: ${JSON.stringify(text.slice(0, 40))}`);
    const ref = parseAllDocuments(text, KUBERNETES_YAML_OPTIONS)[0]!;
    assert.deepEqual(ref.errors, []);
    assert.ok(isDeepStrictEqual(value.value, ref.toJS()), `value differs: ${JSON.stringify(text.slice(0, 40))}`);
    assert.ok(blockPositions(text, DEPTH), 'position mode declined');
    const skim = blockDocumentValue(text, DEPTH, false, EVERY);
    assert.ok(skim && isDeepStrictEqual(skim.value, skimmedView(value.value)), 'skim mode differs');
  }
  // The warm-up document has a body (after `kind`) that skim mode reads.
  assert.ok(Object.keys(blockDocumentValue(read, DEPTH)!.value as object).length > 3);
  for (const text of declined) assert.equal(blockDocumentValue(text, DEPTH), undefined, `not declined: ${JSON.stringify(text)}`);
  // The limited position pass it warms records each wanted place where the full pass does.
  const full = blockPositions(read, DEPTH)!;
  const limited = blockPositions(read, DEPTH, wantedPaths(wanted))!;
  assert.ok(limited && limited.open.length < full.open.length, 'the limited pass records fewer nodes');
  for (const pointer of wanted) {
    const offset = blockOffsetOf(read, full, pointer);
    assert.ok(offset !== undefined && offset > 0, `not found: ${pointer}`);
    assert.equal(blockOffsetOf(read, limited, pointer), offset, pointer);
  }
  console.log(`warm-up: ${1 + ends.length} documents read in every mode, ${declined.length} declined, ${wanted.length} places located by the limited pass`);
});
