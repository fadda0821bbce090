/**
 * Text no store can keep faithfully: NUL (PostgreSQL refuses it in text columns) and lone UTF-16
 * surrogates (not Unicode; they would be silently replaced on the way to UTF-8). Inputs holding
 * either are refused, never cleaned, so what is stored is exactly what was sent.
 */
export function unsafeTextReason(text: string): string | null {
  if (text.includes('\u0000')) return 'Must not contain the NUL character (U+0000)';
  if (!text.isWellFormed()) return 'Must be well-formed Unicode (it holds a lone surrogate)';
  return null;
}

export interface UnsafeTextField {
  path: string;
  message: string;
}

const MAX_DEPTH = 64;

/** Every string (and object key) in a parsed JSON input that holds unsafe text, by dotted path. */
export function findUnsafeText(value: unknown, path: string[] = [], found: UnsafeTextField[] = []): UnsafeTextField[] {
  if (path.length > MAX_DEPTH) return found;
  const at = (segments: string[]) => segments.join('.') || '(input)';
  if (typeof value === 'string') {
    const reason = unsafeTextReason(value);
    if (reason) found.push({ path: at(path), message: reason });
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => findUnsafeText(item, [...path, String(index)], found));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const keyReason = unsafeTextReason(key);
      if (keyReason) found.push({ path: at([...path, JSON.stringify(key).slice(1, -1)]), message: `Field name: ${keyReason}` });
      else findUnsafeText(item, [...path, key], found);
    }
  }
  return found;
}
