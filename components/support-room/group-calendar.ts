import type { TFunction } from 'i18next';
import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { GroupSummary } from '../../server/contract/groups.js';
import type { Language } from '../../server/contract/languages.js';
import type { CareClient } from '../core/api-client.js';
import { addEnglish } from '../core/i18n.js';
import { deviceTimeZone } from '../core/intl.js';
import groupCalendar from '../../locales/en/groupCalendar.json';

// Loaded with this chunk: the support room fetches it when a group with a next session is shown.
addEnglish({ groupCalendar });

export interface GroupCalendarOptions {
  api(): CareClient;
  endpoint(): string;
  language(): string;
  t(): TFunction;
  announce(message: string): void;
}

/**
 * "Add to your calendar" for a group's sessions: a one-off `.ics` download (the server writes it in
 * the person's language, with the next session in their time zone) and a subscription link their
 * calendar app keeps polling. The portal page the person is on becomes the event's join link (its
 * origin and path only: the server drops any query, which may name the patient).
 */
export class GroupCalendarController implements ReactiveController {
  private busy: 'download' | 'subscribe' | null = null;
  private feedUrl: string | null = null;
  private replaced = false;
  private failed = false;

  constructor(
    private readonly host: ReactiveControllerHost & { readonly renderRoot: HTMLElement | DocumentFragment },
    private readonly options: GroupCalendarOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  private input(group: GroupSummary) {
    const page = globalThis.location?.href;
    return {
      groupId: group.id,
      timeZone: deviceTimeZone(),
      language: this.options.language() as Language,
      ...(page && /^https?:/.test(page) ? { joinUrl: page } : {}),
    };
  }

  private async run(kind: 'download' | 'subscribe', work: () => Promise<string>): Promise<void> {
    if (this.busy) return;
    this.busy = kind;
    this.failed = false;
    this.host.requestUpdate();
    try {
      this.options.announce(await work());
    } catch {
      this.failed = true;
      this.options.announce(this.options.t()('groupCalendar.failed'));
    } finally {
      this.busy = null;
      this.host.requestUpdate();
    }
  }

  download(group: GroupSummary): Promise<void> {
    return this.run('download', async () => {
      const file = await this.options.api().groups.calendar.query(this.input(group));
      const url = URL.createObjectURL(new Blob([file.ics], { type: 'text/calendar;charset=utf-8' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = file.filename;
      link.hidden = true;
      this.host.renderRoot.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      return this.options.t()('groupCalendar.downloaded');
    });
  }

  subscribe(group: GroupSummary): Promise<void> {
    return this.run('subscribe', async () => {
      const feed = await this.options.api().groups.subscribeCalendar.mutate(this.input(group));
      this.feedUrl = new URL(feed.path, this.options.endpoint() || globalThis.location.href).href;
      this.replaced = feed.replacedEarlier;
      const t = this.options.t();
      return this.replaced ? `${t('groupCalendar.linkLabel')}: ${t('groupCalendar.replaced')}` : t('groupCalendar.linkLabel');
    });
  }

  private async copy(input: HTMLInputElement | null): Promise<void> {
    if (!this.feedUrl) return;
    const t = this.options.t();
    try {
      await navigator.clipboard.writeText(this.feedUrl);
      this.options.announce(t('groupCalendar.copied'));
    } catch {
      // No clipboard permission (an embedding page may not grant it): select the text to copy by hand.
      input?.focus();
      input?.select();
    }
  }

  render(group: GroupSummary) {
    const t = this.options.t();
    const webcal = this.feedUrl?.replace(/^https?:/, 'webcal:');
    return html`
      <div class="calendar" part="calendar" role="group" aria-labelledby="calendar-title">
        <h4 id="calendar-title">${t('groupCalendar.title')}</h4>
        <p class="calendar-actions">
          <button part="button" type="button" ?disabled=${this.busy !== null} aria-busy=${this.busy === 'download' ? 'true' : 'false'} @click=${() => this.download(group)}>
            ${t('groupCalendar.download')}
          </button>
          ${group.membership
            ? html`<button part="button" type="button" ?disabled=${this.busy !== null} aria-busy=${this.busy === 'subscribe' ? 'true' : 'false'} @click=${() => this.subscribe(group)}>
                ${t('groupCalendar.subscribe')}
              </button>`
            : nothing}
        </p>
        ${this.failed ? html`<p class="error" part="notice">${t('groupCalendar.failed')}</p>` : nothing}
        ${this.feedUrl
          ? html`<div class="calendar-feed">
              <label part="label" for="calendar-feed">${t('groupCalendar.linkLabel')}</label>
              <p class="muted" id="calendar-feed-help">${t('groupCalendar.subscribeHelp')}</p>
              ${this.replaced ? html`<p class="muted">${t('groupCalendar.replaced')}</p>` : nothing}
              <input part="input" id="calendar-feed" dir="ltr" readonly .value=${this.feedUrl} aria-describedby="calendar-feed-help" @focus=${(e: Event) => (e.target as HTMLInputElement).select()} />
              <p class="calendar-actions">
                <button part="button" type="button" @click=${(e: Event) => this.copy((e.target as HTMLElement).closest('.calendar-feed')?.querySelector('input') ?? null)}>
                  ${t('groupCalendar.copy')}
                </button>
                ${webcal ? html`<a part="link" href=${webcal}>${t('groupCalendar.openApp')}</a>` : nothing}
              </p>
            </div>`
          : nothing}
      </div>
    `;
  }
}
