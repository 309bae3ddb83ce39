// `rampart rules`: list the built-in rules with their references, or show one in full.
import { allRuleMetas } from '../../rules/index.js';
import { ENGINE_RULE_METAS } from '../../engine/run.js';
import { emit, loadCheckedConfig, parse, UsageError } from '../common.js';
import { CONFIG_OPTIONS, HELP_OPTION, OUTPUT_OPTIONS, wantsHelp } from '../scan-options.js';
import {
  buildCatalog,
  filterEntries,
  FRAMEWORKS,
  frameworkView,
  renderListJson,
  renderListMarkdown,
  renderListText,
  renderShowMarkdown,
  renderShowText,
  suggest,
} from '../rules-catalog.js';
import { loadCisItems } from '../../input/cis-items.js';
import { cisCoverage, coverageJson, coverageText } from '../../analyses/node/cis-coverage.js';

const FORMATS = ['text', 'json', 'markdown'];

export const usage = `Usage: rampart rules [list] [options]
       rampart rules show RULE [options]

Lists the built-in rules (id, severity, on/off, fix, title, references), or shows one rule in full:
rationale, remediation, references, options schema, whether it has an automatic fix.

Options:
  -o, --format FORMAT      text|json|markdown (default text)
      --output FILE        write to FILE instead of stdout
      --framework NAME     only rules mapped to ${Object.keys(FRAMEWORKS).join('|')}, plus the controls they cover
      --family FAMILY      only rules of one family (e.g. workload, image, secrets, pss)
      --config FILE        show on/off and severity after this config (default: .rampart.yaml found upwards)
      --no-config          ignore any .rampart.yaml
  -h, --help               show this help`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...OUTPUT_OPTIONS,
    framework: { type: 'string' },
    family: { type: 'string' },
    ...CONFIG_OPTIONS,
    ...HELP_OPTION,
  });
  if (wantsHelp(values.help, usage)) return 0;
  const format = values.format ?? 'text';
  if (!FORMATS.includes(format)) throw new UsageError(`unknown format "${format}"; use one of ${FORMATS.join(', ')}`);
  const framework = values.framework?.toLowerCase();
  if (framework !== undefined && !FRAMEWORKS[framework]) throw new UsageError(`unknown framework "${values.framework}"; use one of ${Object.keys(FRAMEWORKS).join(', ')}`);
  const [sub = 'list', ...rest] = positionals;
  const config = await loadCheckedConfig(values.config, values['no-config'], allRuleMetas.map((m) => m.id));
  const catalog = buildCatalog(allRuleMetas.map((meta) => ({ meta })), ENGINE_RULE_METAS, config);

  if (sub === 'list') {
    if (rest.length) throw new UsageError(`"rules list" takes no arguments (got ${rest.join(' ')})`);
    const families = [...new Set(catalog.map((e) => e.family))].sort();
    if (values.family !== undefined && !families.includes(values.family)) throw new UsageError(`unknown family "${values.family}"; families: ${families.join(', ')}`);
    const entries = filterEntries(catalog, { ...(framework ? { framework } : {}), ...(values.family ? { family: values.family } : {}) });
    const view = framework ? frameworkView(framework, entries) : undefined;
    let text = format === 'json' ? renderListJson(entries, view) : format === 'markdown' ? renderListMarkdown(entries, view) : renderListText(entries, view);
    if (framework === 'cis') {
      // Benchmark coverage: every CIS v1.12 item (bundled in data/cis), covered or not.
      const { benchmark, items } = loadCisItems();
      const cov = cisCoverage(benchmark, items, entries.map((e) => ({ id: e.id, cis: e.references.cis })));
      if (format === 'json') text = JSON.stringify({ ...(JSON.parse(text) as object), coverage: coverageJson(cov) }, null, 2) + '\n';
      else text += `\n${format === 'markdown' ? '```text\n' : ''}${coverageText(cov)}${format === 'markdown' ? '```\n' : ''}`;
    }
    emit(text, values.output);
    return 0;
  }
  if (sub === 'show') {
    if (rest.length !== 1) throw new UsageError('"rules show" takes exactly one rule id, e.g. rampart rules show workload/probes');
    const id = rest[0]!;
    const entry = catalog.find((e) => e.id === id);
    if (!entry) {
      const near = suggest(id, catalog);
      throw new UsageError(`unknown rule "${id}"${near.length ? `; did you mean ${near.join(', ')}?` : '; see rampart rules list'}`);
    }
    const text = format === 'json' ? JSON.stringify(entry, null, 2) + '\n' : format === 'markdown' ? renderShowMarkdown(entry) : renderShowText(entry);
    emit(text, values.output);
    return 0;
  }
  throw new UsageError(`unknown subcommand "${sub}"; use list or show`);
}
