#!/usr/bin/env node
// Deep-merges a fragment `{ "en": { "<namespace>": {...} }, "es": {...} }` into the namespace files
// locales/<lng>/<namespace>.json. Usage: node scripts/merge-locale.mjs fragment.json
// (existing keys are overwritten by the fragment; a new namespace or language gets a new file).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

const merge = (target, source) => {
  for (const [key, value] of Object.entries(source)) {
    if (value && typeof value === 'object' && !Array.isArray(value) && target[key] && typeof target[key] === 'object' && !Array.isArray(target[key])) {
      merge(target[key], value);
    } else {
      target[key] = value;
    }
  }
  return target;
};

const fragment = JSON.parse(readFileSync(process.argv[2], 'utf8'));
for (const [language, namespaces] of Object.entries(fragment)) {
  mkdirSync(new URL(`../locales/${language}/`, import.meta.url), { recursive: true });
  for (const [namespace, strings] of Object.entries(namespaces)) {
    const file = new URL(`../locales/${language}/${namespace}.json`, import.meta.url);
    let current = {};
    try {
      current = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      // a new namespace starts empty
    }
    const tmp = new URL(`../locales/${language}/.${namespace}.${process.pid}.tmp`, import.meta.url);
    writeFileSync(tmp, JSON.stringify(merge(current, strings), null, 2) + '\n');
    renameSync(tmp, file);
    console.log(`merged into locales/${language}/${namespace}.json`);
  }
}
