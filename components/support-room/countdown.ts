import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { TFunction } from 'i18next';
import { listFormat } from '../core/intl.js';

const REDUCED_MOTION = '(prefers-reduced-motion: reduce)';

/**
 * A clock for countdowns. It ticks every second normally, and only once a minute for people who
 * ask for reduced motion (numbers that change every second are movement too).
 */
export class ClockController implements ReactiveController {
  now = Date.now();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private media: MediaQueryList | null = null;
  private readonly onMotionChange = () => this.schedule();

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  get reducedMotion(): boolean {
    return this.media?.matches ?? false;
  }

  hostConnected(): void {
    this.media = typeof matchMedia === 'function' ? matchMedia(REDUCED_MOTION) : null;
    this.media?.addEventListener('change', this.onMotionChange);
    this.schedule();
  }

  hostDisconnected(): void {
    clearTimeout(this.timer);
    this.media?.removeEventListener('change', this.onMotionChange);
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.now = Date.now();
    const step = this.reducedMotion ? 60_000 : 1_000;
    // Tick on the boundary so the display changes when the real clock does.
    this.timer = setTimeout(() => {
      this.now = Date.now();
      this.host.requestUpdate();
      this.schedule();
    }, step - (this.now % step) + 5);
  }
}

/** "2 days, 3 hours", "1 hour, 5 minutes", "4 minutes, 12 seconds" (seconds only when motion is welcome), joined the reader's way. */
export function formatCountdown(ms: number, t: TFunction, withSeconds: boolean, locale: string): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3_600);
  const minutes = Math.floor((total % 3_600) / 60);
  const seconds = total % 60;
  const unit = (name: 'day' | 'hour' | 'minute' | 'second', count: number) => (count > 0 ? t(`room.units.${name}`, { count }) : '');
  const join = (...parts: string[]) => listFormat(locale, { type: 'unit', style: 'long' }).format(parts.filter(Boolean));
  if (days > 0) return join(unit('day', days), unit('hour', hours));
  if (hours > 0) return join(unit('hour', hours), unit('minute', minutes));
  if (withSeconds) return join(unit('minute', minutes), t('room.units.second', { count: seconds }));
  // Without seconds, round up so "0 minutes" never shows while time is left.
  return unit('minute', Math.max(1, Math.ceil(total / 60)));
}
