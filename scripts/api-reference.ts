/**
 * Writes docs/api.md, the HTTP API reference, from the router itself: each procedure's path, kind
 * and roles (`meta.roles`), its input from the zod contract (via JSON Schema) and its output type
 * from the TypeScript compiler, with the contract's type declarations they name.
 * Usage: tsx scripts/api-reference.ts [output]   (test/server/api-reference.test.ts checks it is current)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { toJSONSchema } from 'zod';
import type { $ZodType } from 'zod/v4/core';
import { appRouter } from '../server/routers/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const CONTRACT_DIR = `${root}server/contract/`;

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  description?: string;
}

const range = (min: number | undefined, max: number | undefined, unit = '') =>
  min !== undefined && max !== undefined ? `${min}–${max}${unit}` : min !== undefined ? `≥ ${min}${unit}` : max !== undefined ? `≤ ${max}${unit}` : '';

/** A JSON Schema written as a TypeScript-like type with its limits in brackets. */
function typeOf(schema: JsonSchema, indent: string): string {
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return [...new Set(alternatives.map((s) => typeOf(s, indent)))].join(' | ');
  if (schema.allOf) return schema.allOf.map((s) => typeOf(s, indent)).join(' & ');
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : schema.type;
  const limits = (parts: string[]) => (parts.filter(Boolean).length ? ` [${parts.filter(Boolean).join(', ')}]` : '');
  switch (type) {
    case 'string':
      return `string${limits([schema.format ?? '', range(schema.minLength, schema.maxLength, ' chars')])}`;
    case 'number':
    case 'integer':
      return `${type === 'integer' ? 'integer' : 'number'}${limits([range(schema.minimum ?? schema.exclusiveMinimum, schema.maximum ?? schema.exclusiveMaximum)])}`;
    case 'array': {
      const item = schema.prefixItems ? `[${schema.prefixItems.map((s) => typeOf(s, indent)).join(', ')}]` : schema.items ? typeOf(schema.items, indent) : 'unknown';
      const wrapped = /[|&\s]/.test(item) && !item.startsWith('{') ? `(${item})` : item;
      return `${schema.prefixItems ? item : `${wrapped}[]`}${limits([range(schema.minItems, schema.maxItems, ' items')])}`;
    }
    case 'object': {
      const properties = Object.entries(schema.properties ?? {});
      const extra = schema.additionalProperties;
      if (properties.length === 0) return extra && extra !== true && Object.keys(extra).length ? `Record<string, ${typeOf(extra, indent)}>` : extra === false ? '{}' : 'Record<string, unknown>';
      const inner = `${indent}  `;
      const required = new Set(schema.required ?? []);
      const lines = properties.map(([name, property]) => {
        const optional = required.has(name) ? '' : '?';
        const fallback = property.default !== undefined ? ` (default ${JSON.stringify(property.default)})` : '';
        return `${inner}${/^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name)}${optional}: ${typeOf(property, inner)};${fallback}`;
      });
      return `{\n${lines.join('\n')}\n${indent}}`;
    }
    case 'null':
      return 'null';
    case 'boolean':
      return 'boolean';
    default:
      return 'unknown';
  }
}

function inputOf(inputs: unknown[]): string {
  if (inputs.length === 0) return 'none';
  const schema = toJSONSchema(inputs[0] as $ZodType, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return typeOf(schema, '');
}

/** Output types of every procedure, as the TypeScript compiler sees them through tRPC's inference. */
function outputTypes(paths: string[]): { outputs: Map<string, string>; declarations: Map<string, string> } {
  const probe = `${root}scripts/.api-reference-probe.ts`;
  const source = [
    "import type { inferRouterOutputs } from '@trpc/server';",
    "import type { AppRouter } from '../server/routers/index.js';",
    'type Out = inferRouterOutputs<AppRouter>;',
    ...paths.map((path, i) => `export type P${i} = Out${path.split('.').map((k) => `[${JSON.stringify(k)}]`).join('')};`),
  ].join('\n');
  const config = ts.getParsedCommandLineOfConfigFile(`${root}tsconfig.json`, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
  const host = ts.createCompilerHost(config.options);
  const readFile = host.readFile.bind(host);
  host.readFile = (file) => (file === probe ? source : readFile(file));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (file) => file === probe || fileExists(file);
  const program = ts.createProgram([probe], { ...config.options, noEmit: true }, host);
  const checker = program.getTypeChecker();
  const probeFile = program.getSourceFile(probe)!;
  const outputs = new Map<string, string>();
  const named = new Set<string>();
  const flags = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope;
  probeFile.statements.filter(ts.isTypeAliasDeclaration).filter((d) => /^P\d+$/.test(d.name.text)).forEach((declaration) => {
    const type = checker.getTypeAtLocation(declaration.name);
    const text = checker.typeToString(type, undefined, flags);
    outputs.set(paths[Number(declaration.name.text.slice(1))]!, text);
    for (const word of text.match(/\b[A-Z][A-Za-z0-9]+\b/g) ?? []) named.add(word);
  });

  // The contract's declarations of every type an output names, and of the types those name in turn.
  const contractDeclarations = new Map<string, string>();
  for (const file of program.getSourceFiles().filter((f) => f.fileName.startsWith(CONTRACT_DIR))) {
    for (const statement of file.statements) {
      if ((ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) && statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
        contractDeclarations.set(statement.name.text, statement.getFullText(file).trim());
      }
    }
  }
  const declarations = new Map<string, string>();
  const queue = [...named];
  while (queue.length > 0) {
    const name = queue.shift()!;
    const text = contractDeclarations.get(name);
    if (!text || declarations.has(name)) continue;
    declarations.set(name, text);
    for (const word of text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '').match(/\b[A-Z][A-Za-z0-9]+\b/g) ?? []) queue.push(word);
  }
  return { outputs, declarations: new Map([...declarations].sort(([a], [b]) => a.localeCompare(b))) };
}

/** `{ a: string; b: { c: number; }; }` on several lines, two spaces a level (type texts hold no braces in strings here). */
function multiline(typeText: string): string {
  let out = '';
  let depth = 0;
  const pad = () => '  '.repeat(depth);
  for (let i = 0; i < typeText.length; i++) {
    const c = typeText[i]!;
    if (c === '{' && typeText[i + 1] === ' ' && typeText[i + 2] !== '}') {
      depth++;
      out += `{\n${pad()}`;
      i++;
    } else if (c === ';' && typeText[i + 1] === ' ') {
      const closing = typeText[i + 2] === '}';
      if (closing) depth--;
      out += `;\n${pad()}`;
      i++;
    } else out += c;
  }
  return out;
}

interface ProcedureDef {
  type: 'query' | 'mutation' | 'subscription';
  meta?: { roles?: readonly string[] };
  inputs: unknown[];
}

export function apiReference(): string {
  const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: ProcedureDef }>).sort(([a], [b]) => a.localeCompare(b));
  const { outputs, declarations } = outputTypes(procedures.map(([path]) => path));
  const how = {
    query: (path: string) => `GET /trpc/${path}?input=<url-encoded JSON>`,
    mutation: (path: string) => `POST /trpc/${path}  (JSON body)`,
    subscription: (path: string) => `GET /trpc/${path}?input=<url-encoded JSON>  (Accept: text/event-stream)`,
  };
  const lines = [
    '# HTTP API reference',
    '',
    '<!-- Generated by `npm run build:api` (scripts/api-reference.ts) from the router and the zod contract: do not edit. -->',
    '',
    'tRPC v11 over plain HTTP and JSON, no transformer: a query is `GET /trpc/<path>?input=<url-encoded JSON>`,',
    'a mutation `POST /trpc/<path>` with the input as the JSON body, a subscription a Server-Sent Events stream.',
    'Send `Authorization: Bearer <token>` (see README "Tokens"). Errors have the shape',
    '`{ error: { message, code, data: { code, httpStatus, path, fieldErrors } } }`; `fieldErrors` names each',
    'invalid field. Batches: `/trpc/a,b?batch=1` with inputs keyed "0", "1", … (at most `CARE_MAX_BATCH_SIZE` calls).',
    '',
    '| procedure | kind | who |',
    '| --- | --- | --- |',
    ...procedures.map(([path, p]) => `| [\`${path}\`](#${path.replace(/\./g, '').toLowerCase()}) | ${p._def.type} | ${p._def.meta?.roles?.join(', ') ?? 'anyone'} |`),
    '',
  ];
  for (const [path, p] of procedures) {
    lines.push(
      `## ${path}`,
      '',
      `${p._def.type} · ${p._def.meta?.roles ? `roles: ${p._def.meta.roles.join(', ')}` : 'no sign-in needed'} · \`${how[p._def.type](path)}\``,
      '',
      'Input:',
      '',
      '```ts',
      inputOf(p._def.inputs),
      '```',
      '',
      p._def.type === 'subscription' ? 'Events:' : 'Output:',
      '',
      '```ts',
      multiline(outputs.get(path) ?? 'unknown'),
      '```',
      '',
    );
  }
  lines.push('## Types', '', 'As declared in `server/contract/`.', '');
  for (const [name, text] of declarations) lines.push(`### ${name}`, '', '```ts', text, '```', '');
  return `${lines.join('\n').trimEnd()}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = process.argv[2] ?? `${root}docs/api.md`;
  const text = apiReference();
  const before = (() => {
    try {
      return readFileSync(out, 'utf8');
    } catch {
      return null;
    }
  })();
  if (before !== text) writeFileSync(out, text);
  console.log(`wrote ${out} (${text.split('\n## ').length - 2} procedures)`);
}
