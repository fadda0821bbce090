// Browser tests read text as a person sees it. Interpolated values are wrapped in invisible Unicode
// bidi isolates (U+2066–U+2069, see components/core/i18n.ts `isolate`) so names and numbers keep
// their order in right-to-left pages; `textContent` here leaves those marks out so tests can look
// for "Day 7 of this stretch". test/components/bidi.test.ts checks the isolates themselves, from
// where the browser draws each word.
const descriptor = Object.getOwnPropertyDescriptor(Node.prototype, 'textContent');
const BIDI_ISOLATES = /[\u2066-\u2069]/g;
Object.defineProperty(Node.prototype, 'textContent', {
  ...descriptor,
  get() {
    const text = descriptor.get.call(this);
    return typeof text === 'string' ? text.replace(BIDI_ISOLATES, '') : text;
  },
});
