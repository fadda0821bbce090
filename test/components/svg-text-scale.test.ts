import { expect, fixture, fixtureCleanup, html } from '@open-wc/testing';
import { waitUntil } from './wait-until.js';
import { LitElement, css, html as litHtml } from 'lit';
import { SvgTextScaleController } from '../../components/core/svg-text-scale.js';

/** Two charts drawn at 600 viewBox units, shown at the widths the test sets. */
class ScaledCharts extends LitElement {
  static override styles = css`
    svg {
      display: block;
    }
  `;
  static override properties = { widths: { attribute: false }, viewBoxWidth: { attribute: false } };
  widths = [300, 150];
  viewBoxWidth = 600;
  readonly scaler = new SvgTextScaleController(this);

  override render() {
    return litHtml`${this.widths.map(
      (width) => litHtml`<svg viewBox="0 0 ${this.viewBoxWidth} 200" style="width: ${width}px"><text x="0" y="20">label</text></svg>`,
    )}`;
  }
}
customElements.define('scaled-charts', ScaledCharts);

afterEach(() => fixtureCleanup());

const units = (el: ScaledCharts) => [...el.shadowRoot!.querySelectorAll('svg')].map((svg) => svg.style.getPropertyValue('--care-svg-unit'));

describe('SvgTextScaleController', () => {
  it('gives every chart the viewBox units per CSS pixel of its shown width, from the first layout', async () => {
    const el = await fixture<ScaledCharts>(html`<scaled-charts></scaled-charts>`);
    await waitUntil(() => units(el).every((unit) => unit !== ''), 'units set');
    expect(units(el)).to.deep.equal(['2.000', '4.000']);
  });

  it('follows a chart that is shown wider or narrower, and a viewBox that changes at the same size', async () => {
    const el = await fixture<ScaledCharts>(html`<scaled-charts></scaled-charts>`);
    await waitUntil(() => units(el).every((unit) => unit !== ''), 'units set');
    el.widths = [600, 150];
    await waitUntil(() => units(el)[0] === '1.000', 'first chart rescaled after it grew');
    expect(units(el)[1]).to.equal('4.000');
    el.viewBoxWidth = 1200;
    await el.updateComplete;
    await waitUntil(() => units(el)[0] === '2.000' && units(el)[1] === '8.000', `rescaled for the new viewBox: ${units(el).join(', ')}`);
  });
});
