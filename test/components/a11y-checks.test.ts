import { expect, fixture, fixtureCleanup, html } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import { overflowing, smallTargets } from './a11y-checks.js';

/** The checks the stories run must be able to fail: each is shown a layout that breaks the rule. */
afterEach(() => fixtureCleanup());

async function host(markup: string): Promise<HTMLElement> {
  const el = await fixture<HTMLElement>(html`<div></div>`);
  el.attachShadow({ mode: 'open' }).innerHTML = markup;
  return el;
}

describe('a11y layout checks', () => {
  it('flags two 16 px buttons side by side, and accepts 24 px ones', async () => {
    const small = await host('<button style="all:unset;display:inline-block;width:16px;height:16px">a</button><button style="all:unset;display:inline-block;width:16px;height:16px">b</button>');
    expect(smallTargets(small)).to.have.length(2);
    const ok = await host('<button style="all:unset;display:inline-block;width:24px;height:24px">a</button><button style="all:unset;display:inline-block;width:24px;height:24px">b</button>');
    expect(smallTargets(ok)).to.deep.equal([]);
  });

  it('accepts a small target with 24 px of space around it, and a link inside a sentence', async () => {
    const spaced = await host('<button style="all:unset;display:inline-block;width:16px;height:16px">a</button><span style="display:inline-block;width:40px"></span><button style="all:unset;display:inline-block;width:16px;height:16px">b</button>');
    expect(smallTargets(spaced)).to.deep.equal([]);
    const inline = await host('<p style="font-size:12px;line-height:1.2">Read the <a href="#x">guidelines</a> first.</p><a href="#y" style="display:inline-block;font-size:12px;line-height:1.2">alone</a><a href="#z" style="display:inline-block;font-size:12px;line-height:1.2">too</a>');
    expect(smallTargets(inline).map((p) => p.element)).to.deep.equal(['<a> "alone"', '<a> "too"']);
  });

  it('counts a radio’s label as its target', async () => {
    const labelled = await host('<label style="display:inline-block;padding:8px"><input type="radio" name="r"> Yes</label><label style="display:inline-block;padding:8px"><input type="radio" name="r"> No</label>');
    expect(smallTargets(labelled)).to.deep.equal([]);
  });

  it('flags a box wider than 320 px', async () => {
    await setViewport({ width: 320, height: 600 });
    try {
      const wide = await host('<div part="base" style="overflow:visible"><div style="width:400px;height:10px"></div></div>');
      expect(overflowing(wide)).to.have.length.greaterThan(0);
      const fits = await host('<div part="base"><p>Short text that wraps as it needs to on a narrow screen.</p></div>');
      expect(overflowing(fits)).to.deep.equal([]);
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });
});
