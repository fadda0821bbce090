import type { ReactiveController, ReactiveElement } from 'lit';

/**
 * SVG text is sized in viewBox units, so a chart drawn at 600 units and shown 300 px wide halves
 * its labels (and a wide screen grows them). This controller sets `--care-svg-unit` on each chart
 * SVG in the element (viewBox units per CSS px, kept current with a ResizeObserver), so styles can
 * write `font-size: calc(12px * var(--care-svg-unit, 1))` and get 12 px on screen at every width.
 */
export class SvgTextScaleController implements ReactiveController {
  private observer: ResizeObserver | undefined;
  /** Charts being observed, with the viewBox width their unit was last worked out for. */
  private observed = new WeakMap<SVGSVGElement, number>();

  constructor(
    private readonly host: ReactiveElement,
    private readonly selector = 'svg[viewBox]',
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.observer ??= new ResizeObserver((entries) => {
      // The observer has measured every chart already: reading each one's box again after the
      // previous chart's unit changed forced a style recalculation and a layout per chart.
      for (const entry of entries) this.scale(entry.target as SVGSVGElement, entry.contentRect.width);
    });
  }

  /**
   * A new chart is only observed: the observer reports its size once layout is done, before the
   * frame is painted, so its labels are right at first paint without forcing a layout in every
   * update (which cost a long task per chart on a page of charts). A chart whose viewBox changed
   * at the same size is scaled at once.
   */
  hostUpdated(): void {
    for (const svg of this.host.renderRoot.querySelectorAll<SVGSVGElement>(this.selector)) {
      const scaledFor = this.observed.get(svg);
      if (scaledFor === undefined) {
        this.observed.set(svg, NaN);
        this.observer?.observe(svg);
      } else if (!Number.isNaN(scaledFor) && scaledFor !== (svg.viewBox.baseVal?.width ?? 0)) {
        this.scale(svg);
      }
    }
  }

  hostDisconnected(): void {
    this.observer?.disconnect();
    this.observer = undefined;
    this.observed = new WeakMap();
  }

  /** Sets the chart's unit for its shown width (the viewBox is drawn into the content box), measured now unless given. */
  private scale(svg: SVGSVGElement, shown?: number): void {
    const viewBoxWidth = svg.viewBox.baseVal?.width ?? 0;
    this.observed.set(svg, viewBoxWidth);
    const shownWidth = shown ?? svg.getBoundingClientRect().width;
    if (viewBoxWidth <= 0 || shownWidth <= 0) return;
    const unit = (viewBoxWidth / shownWidth).toFixed(3);
    if (svg.style.getPropertyValue('--care-svg-unit') !== unit) svg.style.setProperty('--care-svg-unit', unit);
  }
}
