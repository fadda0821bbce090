#!/usr/bin/env node
// Deep-merges a fragment `{ "en": {...}, "es": {...} }` into locales/<lng>/translation.json.
// Usage: node scripts/merge-locale.mjs fragment.json   (existing keys are overwritten by the fragment)
import { readFileSync, renameSync, writeFileSync } from 'node:fs';

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
for (const [language, strings] of Object.entries(fragment)) {
  const file = new URL(`../locales/${language}/translation.json`, import.meta.url);
  let current = {};
  try {
    current = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    // a new language starts empty
  }
  const tmp = new URL(`../locales/${language}/.translation.${process.pid}.tmp`, import.meta.url);
  writeFileSync(tmp, JSON.stringify(merge(current, strings), null, 2) + '\n');
  renameSync(tmp, file);
  console.log(`merged into locales/${language}/translation.json`);
}
