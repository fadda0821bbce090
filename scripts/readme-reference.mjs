#!/usr/bin/env node
// Writes docs/widgets.md, the widget reference, from custom-elements.json (run `npm run build:manifest` first).
// Usage: node scripts/readme-reference.mjs [manifest] [output]
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

const root = new URL('..', import.meta.url);
const manifestPath = process.argv[2] ?? new URL('custom-elements.json', root).pathname;
const outPath = process.argv[3] ?? new URL('docs/widgets.md', root).pathname;
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));

/** Which bundle defines each module's elements: the npm subpath and the /widgets/ file. */
const BUNDLES = {
  'components/core/': ['care-widgets/provider', 'provider.js'],
  'components/check-in/': ['care-widgets/check-in', 'check-in.js'],
  'components/crisis/': ['care-widgets/crisis', 'crisis.js'],
  'components/progress/': ['care-widgets/progress', 'progress.js'],
  'components/support-room/': ['care-widgets/support-room', 'support-room.js'],
  'components/clinician/': ['care-widgets/clinician', 'clinician.js'],
};

// Markdown table cells: one line, pipes escaped.
const cell = (text) => String(text ?? '').replace(/\r?\n\s*/g, ' ').replace(/\|/g, '\\|').trim();
const code = (text) => (text ? `\`${String(text).replace(/\r?\n\s*/g, ' ').replace(/`/g, '').trim()}\`` : '');
const table = (head, rows) =>
  rows.length === 0 ? '' : [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`), ''].join('\n');

const elements = manifest.modules
  .flatMap((mod) => (mod.declarations ?? []).map((declaration) => ({ mod, declaration })))
  .filter(({ declaration }) => declaration.customElement && declaration.tagName)
  .sort((a, b) => (a.declaration.tagName === 'care-provider' ? -1 : b.declaration.tagName === 'care-provider' ? 1 : a.declaration.tagName.localeCompare(b.declaration.tagName)));

const isPublic = (member) => !member.privacy && !member.static && !member.name.startsWith('_');

function section(title, body) {
  return body ? `#### ${title}\n\n${body.trim()}` : '';
}

function renderElement({ mod, declaration: d }) {
  const [npmPath, file] = Object.entries(BUNDLES).find(([prefix]) => mod.path.startsWith(prefix))?.[1] ?? ['care-widgets', 'care-widgets.js'];
  const attributes = d.attributes ?? [];
  const attributeFields = new Set(attributes.map((a) => a.fieldName));
  const fields = (d.members ?? []).filter((m) => m.kind === 'field' && isPublic(m));
  const properties = fields.filter((m) => !attributeFields.has(m.name));
  const methods = (d.members ?? []).filter((m) => m.kind === 'method' && isPublic(m));
  const signature = (m) => `${m.name}(${(m.parameters ?? []).map((p) => `${p.name}${p.optional ? '?' : ''}${p.type ? `: ${p.type.text}` : ''}`).join(', ')})${m.return?.type?.text ? `: ${m.return.type.text}` : ''}`;
  const inherited = (x) => (x.inheritedFrom ? ' (shared by every widget)' : '');
  return [
    `### \`<${d.tagName}>\``,
    d.summary ? `**${cell(d.summary)}**` : '',
    d.description ? d.description.trim() : '',
    `Registered by \`import '${npmPath}'\` (or \`/widgets/${file}\`, or the all-widgets \`care-widgets\` bundle, or the autoloader).`,
    '',
    section(
      'Attributes and properties',
      table(
        ['Attribute', 'Property', 'Type', 'Default', 'Description'],
        attributes.map((a) => [code(a.name), code(a.fieldName), code(a.type?.text), code(a.default), `${a.description ?? ''}${inherited(a)}`]),
      ),
    ),
    section(
      'Properties only (no attribute)',
      table(
        ['Property', 'Type', 'Default', 'Description'],
        properties.map((p) => [code(p.name), code(p.type?.text), code(p.default), `${p.description ?? ''}${inherited(p)}`]),
      ),
    ),
    section('Methods', table(['Method', 'Description'], methods.map((m) => [code(signature(m)), m.description ?? '']))),
    section('Events', table(['Event', 'Description'], (d.events ?? []).map((e) => [code(e.name), `${e.description ?? ''}${inherited(e)}`]))),
    section('Slots', table(['Slot', 'Description'], (d.slots ?? []).map((s) => [s.name ? code(s.name) : '(default)', s.description ?? '']))),
    section('CSS parts', table(['Part', 'Description'], (d.cssParts ?? []).map((p) => [code(p.name), p.description ?? '']))),
    section('CSS custom properties', table(['Property', 'Description'], (d.cssProperties ?? []).map((p) => [code(p.name), p.description ?? '']))),
  ]
    .filter((block) => block !== '')
    .join('\n\n');
}

const missing = [];
for (const { declaration: d } of elements) {
  for (const kind of ['attributes', 'events', 'cssParts', 'cssProperties', 'slots']) {
    for (const item of d[kind] ?? []) if (!item.description) missing.push(`<${d.tagName}> ${kind} ${item.name || '(default)'}`);
  }
  for (const m of d.members ?? []) if (isPublic(m) && !m.description) missing.push(`<${d.tagName}> member ${m.name}`);
  if (!d.summary) missing.push(`<${d.tagName}> @summary`);
}

const markdown = [
  '# Widget reference',
  '',
  '<!-- Generated by scripts/readme-reference.mjs from custom-elements.json: edit the JSDoc on the element classes, then run `npm run build:manifest && node scripts/readme-reference.mjs`. -->',
  '',
  `${elements.length} elements. Every widget also takes \`endpoint\`, \`token\`, \`locale\`, \`theme\` and \`region\` (normally from its \`<care-provider>\`), and a \`tokenProvider\` property when used without a provider. Theming: [design tokens and parts](theming.md); keyboard maps: [accessibility](accessibility.md).`,
  '',
  ...elements.map(({ declaration: d }) => `- [\`<${d.tagName}>\`](#${d.tagName}) — ${cell(d.summary ?? '')}`),
  '',
  ...elements.map((element) => `${renderElement(element)}\n`),
].join('\n');

mkdirSync(dirname(outPath), { recursive: true });
writeFileSync(outPath, markdown.replace(/\n{3,}/g, '\n\n'));
console.log(`wrote ${outPath} (${elements.length} elements)`);
if (missing.length > 0) {
  console.error(`undocumented in the manifest (add JSDoc):\n  ${missing.join('\n  ')}`);
  process.exitCode = 1;
}
