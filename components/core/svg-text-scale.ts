import type { ReactiveController, ReactiveElement } from 'lit';

/**
 * SVG text is sized in viewBox units, so a chart drawn at 600 units and shown 300 px wide halves
 * its labels (and a wide screen grows them). This controller sets `--care-svg-unit` on each chart
 * SVG in the element (viewBox units per CSS px, kept current with a ResizeObserver), so styles can
 * write `font-size: calc(12px * var(--care-svg-unit, 1))` and get 12 px on screen at every width.
 */
export class SvgTextScaleController implements ReactiveController {
  private observer: ResizeObserver | undefined;

  constructor(
    private readonly host: ReactiveElement,
    private readonly selector = 'svg[viewBox]',
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.observer ??= new ResizeObserver((entries) => {
      for (const entry of entries) this.scale(entry.target as SVGSVGElement);
    });
  }

  hostUpdated(): void {
    for (const svg of this.host.renderRoot.querySelectorAll<SVGSVGElement>(this.selector)) {
      this.observer?.observe(svg);
      this.scale(svg);
    }
  }

  hostDisconnected(): void {
    this.observer?.disconnect();
    this.observer = undefined;
  }

  private scale(svg: SVGSVGElement): void {
    const viewBoxWidth = svg.viewBox.baseVal?.width ?? 0;
    const shownWidth = svg.getBoundingClientRect().width;
    if (viewBoxWidth <= 0 || shownWidth <= 0) return;
    const unit = (viewBoxWidth / shownWidth).toFixed(3);
    if (svg.style.getPropertyValue('--care-svg-unit') !== unit) svg.style.setProperty('--care-svg-unit', unit);
  }
}
