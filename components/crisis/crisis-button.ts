import { Task } from '@lit/task';
import { html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import {
  crisisInfoForReader,
  linesForLanguage,
  type CrisisAlertInput,
  type CrisisAlertResult,
  type CrisisResources,
  type OnCallInfo,
} from '../../server/contract/crisis.js';
import type { CrisisLine, RegionCrisisInfo } from '../../server/contract/hotlines.js';
import { renderLineOptions, renderNoNationalLine } from '../core/crisis-lines.js';
import { dialable, type SafetyPlanContact } from '../../server/contract/safety-plan.js';
import { failureOf, isAbort, type Failure } from '../core/failure.js';
import type { CrisisOpenReason } from './events.js';
import { CareElement } from '../core/care-element.js';
import { OutboxController, outboxEvents, type OutboxEventDetail } from '../core/outbox.js';
import { tokens } from '../core/theme.js';
import { identityOf } from '../core/token.js';
import { uuid } from '../core/uuid.js';
import { crisisButtonStyles } from './crisis-button.styles.js';
import { cachedNow, personKey, readCache, resourcesKey, writeCache, type Cached } from './crisis-cache.js';
import { formatOnCallHours, onCallStatus } from './on-call-text.js';
import crisisButton from '../../locales/en/crisisButton.json';
import { addEnglish } from '../core/i18n.js';

addEnglish({ crisisButton });

type AlertPhase = 'idle' | 'sending' | 'sent' | 'queued' | 'signed-out' | 'refused';
type OpenReason = CrisisOpenReason;

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), [tabindex="0"]';

/** The element that has focus, looking inside open shadow roots. */
function deepActiveElement(): HTMLElement | null {
  let active = document.activeElement as HTMLElement | null;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement as HTMLElement;
  return active;
}

interface Shortcut {
  alt: boolean;
  shift: boolean;
  ctrl: boolean;
  meta: boolean;
  key: string;
}

function parseShortcut(text: string): Shortcut | null {
  const parts = text.split('+').map((p) => p.trim().toLowerCase()).filter(Boolean);
  const key = parts.pop();
  if (!key || text.trim().toLowerCase() === 'none') return null;
  return { alt: parts.includes('alt'), shift: parts.includes('shift'), ctrl: parts.includes('ctrl') || parts.includes('control'), meta: parts.includes('meta'), key };
}

function matches(shortcut: Shortcut, event: KeyboardEvent): boolean {
  if (event.altKey !== shortcut.alt || event.shiftKey !== shortcut.shift || event.ctrlKey !== shortcut.ctrl || event.metaKey !== shortcut.meta) return false;
  // With Alt (Option on a Mac) `key` may be another character; the physical key still matches.
  return event.key.toLowerCase() === shortcut.key || event.code.toLowerCase() === `key${shortcut.key}` || event.code.toLowerCase() === `digit${shortcut.key}`;
}

/** The id the first crisis button on a page takes when it has none, for a portal's "skip to help" link. */
export const SKIP_TARGET_ID = 'care-get-help';

/** Instances that open themselves on an urgent check-in; only the first on the page does, so one dialog shows. */
const autoOpeners: CareCrisisButton[] = [];

/**
 * Crisis help that is always one press away. Opens a dialog at once, even offline or with the
 * server down, with, in this order: the region's crisis lines (call, text, chat), the emergency
 * number, the person's own safety-plan contacts, and a button that tells their care team now.
 * Opens itself when a `<care-check-in>` on the page reports urgent risk.
 *
 * Keyboard: the shortcut (default **Alt+Shift+H**) opens it from anywhere on the page and is shown
 * beside the button on focus and hover; Tab stays in the dialog; Escape closes it and focus returns
 * where it was.
 *
 * Skip link: the element keeps its `id`, or takes `id="care-get-help"` when it has none (and no other
 * element has it). A portal's link to it (`<a href="#care-get-help">Skip to help</a>`, early in the
 * page) moves focus straight to the button.
 *
 * `floating` on narrow screens (below 40rem) docks into the page flow where the element is placed, so
 * it never covers the page's own buttons and fields: place it early in the page (e.g. at the top of
 * the main content) so it is among the first things on a phone.
 *
 * @summary Always-reachable crisis help with the care team one press away.
 * @tag care-crisis-button
 *
 * @event {CustomEvent<CareCrisisOpenDetail>} care-crisis-open - The dialog opened. `detail: { reason: 'button' | 'shortcut' | 'risk' | 'api' }`.
 * @event {CustomEvent<Record<string, never>>} care-crisis-close - The dialog closed.
 * @event {CustomEvent<CareCrisisAlertDetail>} care-crisis-alert - The care team was told (`status: 'sent'`) or the request waits on the device (`status: 'queued'`). `detail: { status, result? }`.
 * @event {CustomEvent<CareErrorDetail>} care-error - The server refused the request to tell the care team for good (it was dropped from the device's queue). `detail: { kind, message }`.
 *
 * @csspart trigger - The "Get help now" button.
 * @csspart shortcut-hint - The keyboard shortcut shown beside the button on focus and hover.
 * @csspart dialog - The native dialog element.
 * @csspart panel - The dialog's content box.
 * @csspart title - The dialog heading.
 * @csspart crisis-lines - The list of crisis lines.
 * @csspart crisis-link - One call, text or chat link.
 * @csspart emergency - The emergency number link.
 * @csspart crisis-option - A line's menu choice (988: press 1 for the Veterans Crisis Line, 2 for Spanish), also `crisis-link`.
 * @csspart no-national-line - The plain sentence shown where no national crisis line is known.
 * @csspart directory - The link to the international directory of crisis lines, also `crisis-link`.
 * @csspart contacts - The safety-plan contacts list.
 * @csspart alert-button - "Let my care team know now".
 * @csspart next-steps - What happens next after telling the care team.
 * @csspart close-button - The close button.
 * @csspart status - The live region that announces results.
 * @csspart heading - Section headings inside the widget.
 * @csspart link - Links without a more specific part.
 *
 * @cssproperty --care-crisis-color - Background of the trigger button (default: the danger colour).
 * @cssproperty --care-crisis-on-color - Text on the trigger button.
 * @cssproperty --care-crisis-z-index - Stacking order of the floating button (default 2147483000).
 * @cssproperty --care-crisis-offset - Distance of the floating button from the viewport corner.
 * @cssproperty --care-color-primary - Links and focus ring.
 * @cssproperty --care-color-surface - Dialog background.
 * @cssproperty --care-color-text - Text.
 * @cssproperty --care-radius - Corner radius.
 * @cssproperty --care-font-family - Font.
 */
export class CareCrisisButton extends CareElement {
  static override styles = [tokens, crisisButtonStyles];

  /** `inline` sits where it is placed; `floating` stays in the viewport's bottom corner above other content. */
  @property({ reflect: true }) variant: 'inline' | 'floating' = 'inline';
  /** Keyboard shortcut that opens the dialog from anywhere on the page, e.g. `Alt+Shift+H`; `none` turns it off. */
  @property() shortcut = 'Alt+Shift+H';
  /** Set `no-auto-open` to stop the dialog opening itself when a check-in reports urgent risk. */
  @property({ type: Boolean, attribute: 'no-auto-open' }) noAutoOpen = false;
  /** Whether the dialog is open. Use `show()` and `close()` to change it. */
  @property({ type: Boolean, reflect: true }) open = false;

  @state() private resources: Cached<CrisisResources> | undefined;
  @state() private phase: AlertPhase = 'idle';
  @state() private result: CrisisAlertResult | null = null;
  /** The server refused the token while loading resources: say so before the person asks the care team. */
  @state() private signedOut = false;

  @query('dialog') private dialog?: HTMLDialogElement;
  @query('[part="trigger"]') private trigger?: HTMLButtonElement;

  private requestId: string | null = null;
  private returnFocus: HTMLElement | null = null;
  private loadedFor: string | null = null;

  private readonly outbox = new OutboxController(
    this,
    () => ({ endpoint: this.config.endpoint, token: this.config.token, api: this.api }),
    'crisis.alert',
  );

  private readonly onKeydown = (event: KeyboardEvent) => {
    const shortcut = parseShortcut(this.shortcut);
    if (!shortcut || !matches(shortcut, event) || event.defaultPrevented) return;
    event.preventDefault();
    this.show('shortcut');
  };

  private readonly onRisk = (event: Event) => {
    const detail = (event as CustomEvent<{ level?: string }>).detail;
    if (detail?.level !== 'urgent' || this.noAutoOpen || autoOpeners[0] !== this) return;
    this.show('risk');
  };

  private readonly onPlanSaved = (event: Event) => {
    const { contacts } = (event as CustomEvent<{ contacts: SafetyPlanContact[] }>).detail ?? {};
    const person = personKey(this.config.endpoint, this.config.token);
    if (!contacts || !person || !this.resources) return;
    this.resources = { ...this.resources, value: { ...this.resources.value, contacts } };
    void writeCache(resourcesKey(person), this.resources.value);
  };

  private readonly onOutboxSent = (event: Event) => {
    const { item, result } = (event as CustomEvent<OutboxEventDetail>).detail;
    if (item.procedure !== 'crisis.alert' || !this.isMine(item)) return;
    const wasQueued = this.phase === 'queued' || item.id !== this.requestId;
    this.phase = 'sent';
    this.result = result as CrisisAlertResult;
    this.announce(wasQueued ? `${this.t('crisisButton.sentLater')} ${this.nextSteps()}` : `${this.t('crisisButton.sent')} ${this.nextSteps()}`);
    this.emit('care-crisis-alert', { status: 'sent', result: this.result });
  };

  private readonly onOutboxDropped = (event: Event) => {
    const { item, failure } = (event as CustomEvent<OutboxEventDetail>).detail;
    if (item.procedure !== 'crisis.alert' || !this.isMine(item)) return;
    this.phase = 'refused';
    this.requestId = null;
    this.announce(`${this.t('crisisButton.refused')} ${this.callNow()}.`);
    if (failure) this.emit('care-error', { kind: failure.kind, message: failure.message });
  };

  /** A link to this element's id (a portal's "skip to help") lands on the button, not just near it. */
  private readonly onSkipLink = (event: MouseEvent) => {
    if (!this.id || event.defaultPrevented) return;
    const link = event.composedPath().find((n): n is HTMLAnchorElement => n instanceof HTMLAnchorElement);
    if (link?.getAttribute('href') !== `#${this.id}`) return;
    // After the browser's own jump to the fragment, which would leave focus where it was.
    setTimeout(() => this.trigger?.focus());
  };

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.id && !document.getElementById(SKIP_TARGET_ID)) this.id = SKIP_TARGET_ID;
    document.addEventListener('click', this.onSkipLink);
    document.addEventListener('keydown', this.onKeydown);
    document.addEventListener('care-risk', this.onRisk);
    document.addEventListener('care-plan-saved', this.onPlanSaved);
    outboxEvents.addEventListener('sent', this.onOutboxSent);
    outboxEvents.addEventListener('dropped', this.onOutboxDropped);
    autoOpeners.push(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('click', this.onSkipLink);
    document.removeEventListener('keydown', this.onKeydown);
    document.removeEventListener('care-risk', this.onRisk);
    document.removeEventListener('care-plan-saved', this.onPlanSaved);
    outboxEvents.removeEventListener('sent', this.onOutboxSent);
    outboxEvents.removeEventListener('dropped', this.onOutboxDropped);
    autoOpeners.splice(autoOpeners.indexOf(this), 1);
  }

  /**
   * Opens the dialog now, from what is on the device: it never waits for the network. Returns
   * false only if the element has not rendered yet (it then opens right after its first render).
   */
  show(reason: OpenReason = 'api'): boolean {
    const dialog = this.dialog;
    if (!dialog) {
      void this.updateComplete.then(() => this.show(reason));
      return false;
    }
    if (dialog.open) return true;
    const active = deepActiveElement();
    this.returnFocus = active && active !== document.body ? active : null;
    dialog.showModal();
    this.open = true;
    if (this.phase === 'sent' || this.phase === 'refused') {
      // A new visit to the dialog is a new request; a queued one is still waiting to be sent.
      this.phase = 'idle';
      this.requestId = null;
      this.result = null;
    }
    this.firstAction()?.focus();
    if (reason === 'risk') this.announce(this.t('crisisButton.openedForRisk'));
    this.emit('care-crisis-open', { reason });
    this.refresh();
    return true;
  }

  /** Closes the dialog and returns focus to where it was. */
  close(): void {
    this.dialog?.close();
  }

  /** Sends a "let my care team know" that waits on this device now, instead of at the next retry. */
  async sendPending(): Promise<void> {
    await this.outbox.flush();
  }

  private firstAction(): HTMLElement | null {
    return this.dialog?.querySelector<HTMLElement>('[part~="crisis-link"], [part~="emergency"]') ?? null;
  }

  private isMine(item: { endpoint: string; clinic: string; sub: string }): boolean {
    const who = identityOf(this.config.token);
    return !!who && item.endpoint === this.config.endpoint && item.clinic === who.clinic && item.sub === who.sub;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const person = personKey(this.config.endpoint, this.config.token);
    const key = person ? `${person}|${this.config.locale}|${this.config.region ?? ''}` : null;
    if (key !== this.loadedFor) {
      this.loadedFor = key;
      // Synchronous from memory when another widget on the page already loaded it; then the device; then the network.
      this.resources = person ? cachedNow<CrisisResources>(resourcesKey(person)) : undefined;
    }
  }

  /**
   * The clinic's crisis resources: the device's copy first (when memory had none), then the network,
   * in the background; failures leave the cached or bundled copy in place. A newer load (another
   * person, locale or region, or opening the dialog) cancels the older request.
   */
  private readonly resourcesTask = new Task(this, {
    args: () => [personKey(this.config.endpoint, this.config.token), this.config.locale, this.config.region] as const,
    task: async ([person, locale, region], { signal }) => {
      if (!person) return null;
      if (!this.resources) {
        const cached = await readCache<CrisisResources>(resourcesKey(person));
        signal.throwIfAborted();
        if (cached && !this.resources) this.resources = cached;
      }
      const value = await this.api.crisis.resources.query({ locale, ...(region ? { region } : {}) }, { signal });
      return { person, value };
    },
    onComplete: (fresh) => {
      if (!fresh) return;
      this.resources = { value: fresh.value, savedAt: Date.now() };
      this.signedOut = false;
      void writeCache(resourcesKey(fresh.person), fresh.value);
    },
    onError: (error) => {
      // Offline or server down: the dialog already shows what the device has.
      if (!isAbort(error)) this.signedOut = failureOf(error).kind === 'signed-out';
    },
  });

  private refresh(): void {
    void this.resourcesTask.run();
  }

  private get lines(): { emergency: string; lines: CrisisLine[]; info: RegionCrisisInfo } {
    const locale = this.config.locale;
    const info = crisisInfoForReader(locale, this.config.region, this.resources?.value.region);
    return { emergency: info.emergency, lines: linesForLanguage(info, locale), info };
  }

  /** "call 988 Suicide & Crisis Lifeline (988)" — the first line to call, for messages. */
  private callNow(): string {
    const { lines, emergency } = this.lines;
    const line = lines.find((l) => l.call);
    return line
      ? this.t('crisisButton.callNow', { name: line.name, number: line.callDisplay ?? line.call })
      : this.t('crisisButton.callEmergency', { number: emergency });
  }

  private onCall(): OnCallInfo | null {
    return this.result?.onCall ?? this.resources?.value.onCall ?? null;
  }

  /** What happens next, honestly: who was told, when someone is there, and what to do meanwhile. */
  private nextSteps(): string {
    const locale = this.config.locale;
    const onCall = this.onCall();
    const hours = onCall ? formatOnCallHours(onCall, locale) : '';
    const parts: string[] = [];
    if (this.phase === 'queued') {
      parts.push(this.t('crisisButton.queued'));
      if (hours) parts.push(this.t('onCall.hours', { hours }));
      parts.push(this.t('crisisButton.meanwhile', { call: this.callNow() }));
      return parts.join(' ');
    }
    const result = this.result;
    if (!result) return '';
    parts.push(result.paged ? this.t('crisisButton.paged') : this.t('crisisButton.inbox'));
    const status = onCallStatus(onCall, locale, this.t);
    if (status) {
      parts.push(status);
    } else if (!result.paged) {
      parts.push(this.t('onCall.noHours'));
    }
    parts.push(this.t(onCall?.openNow ? 'crisisButton.meanwhileOpen' : 'crisisButton.meanwhile', { call: this.callNow() }));
    return parts.join(' ');
  }

  private async onAlert(): Promise<void> {
    if (this.phase === 'sending' || this.phase === 'sent' || this.phase === 'queued') return;
    if (!identityOf(this.config.token)) {
      this.phase = 'signed-out';
      this.announce(`${this.t('crisisButton.signedOut')} ${this.callNow()}.`);
      return;
    }
    const input: CrisisAlertInput = { clientRequestId: (this.requestId ??= uuid()), requestedAt: new Date().toISOString() };
    this.phase = 'sending';
    // Saved on the device before any network attempt: a dropped connection cannot lose it.
    await this.outbox.enqueue({ id: input.clientRequestId, procedure: 'crisis.alert', input });
    const failure = await this.outbox.flush();
    if (this.phase === 'sending' && failure) this.showQueued(failure);
  }

  private showQueued(failure: Failure): void {
    if (failure.kind === 'signed-out') {
      this.phase = 'signed-out';
      this.announce(`${this.t('crisisButton.signedOut')} ${this.callNow()}.`);
      return;
    }
    this.phase = 'queued';
    this.announce(this.nextSteps());
    this.emit('care-crisis-alert', { status: 'queued', clientRequestId: this.requestId });
  }

  private onDialogKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Tab' || !this.dialog) return;
    const focusable = [...this.dialog.querySelectorAll<HTMLElement>(FOCUSABLE)];
    if (focusable.length === 0) return;
    const first = focusable[0]!;
    const last = focusable.at(-1)!;
    const active = this.shadowRoot?.activeElement;
    if (event.shiftKey && (active === first || !this.dialog.contains(active ?? null))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (active === last || !this.dialog.contains(active ?? null))) {
      event.preventDefault();
      first.focus();
    }
  }

  private onDialogClose(): void {
    this.open = false;
    const target = this.returnFocus?.isConnected ? this.returnFocus : this.trigger;
    this.returnFocus = null;
    target?.focus();
    this.emit('care-crisis-close', {});
  }

  private onBackdropClick(event: MouseEvent): void {
    // A click on the backdrop lands on the dialog itself, outside the panel.
    if (event.target === this.dialog) this.close();
  }

  private renderLine(line: CrisisLine) {
    const t = this.t;
    return html`
      ${line.call
        ? html`<li><a class="action call" part="crisis-link" href="tel:${line.call}">${t('crisis.call', { name: line.name, number: line.callDisplay ?? line.call })}</a></li>`
        : nothing}
      ${renderLineOptions(line, this.config.locale, t, 'action')}
      ${line.text ? html`<li><a class="action" part="crisis-link" href="sms:${line.text}">${t('crisis.text', { name: line.name, number: line.text })}</a></li>` : nothing}
      ${line.chat
        ? html`<li><a class="action" part="crisis-link" href=${line.chat} target="_blank" rel="noopener noreferrer">${t('crisis.chat', { name: line.name })}<span class="visually-hidden"> ${t('crisisButton.newWindow')}</span></a></li>`
        : nothing}
    `;
  }

  private renderContacts() {
    const t = this.t;
    const contacts = this.resources?.value.contacts ?? [];
    if (!identityOf(this.config.token)) return nothing;
    return html`
      <section aria-labelledby="contacts-title">
        <h3 part="heading" id="contacts-title">${t('crisisButton.contactsTitle')}</h3>
        ${contacts.length === 0
          ? html`<p class="hint">${this.resources ? t('crisisButton.noContacts') : t('crisisButton.contactsUnknown')}</p>`
          : html`<ul class="contacts" part="contacts">
              ${contacts.map(
                (c) => html`<li>
                  <bdi class="contact-name">${c.name}</bdi>
                  <span class="contact-actions">
                    <a part="link" class="action small" href="tel:${dialable(c.phone)}" aria-label=${t('crisisButton.callContact', { name: c.name, phone: c.phone })}>${t('crisisButton.call')}</a>
                    <a part="link" class="action small" href="sms:${dialable(c.phone)}" aria-label=${t('crisisButton.textContact', { name: c.name, phone: c.phone })}>${t('crisisButton.text')}</a>
                  </span>
                </li>`,
              )}
            </ul>`}
      </section>
    `;
  }

  private renderCareTeam() {
    const t = this.t;
    const phase = this.phase;
    const onCall = this.onCall();
    const busy = phase === 'sending';
    const done = phase === 'sent' || phase === 'queued';
    let message: string | null = null;
    if (phase === 'sent') message = `${t('crisisButton.sent')} ${this.nextSteps()}`;
    else if (phase === 'queued') message = this.nextSteps();
    else if (phase === 'signed-out') message = `${t('crisisButton.signedOut')} ${this.callNow()}.`;
    else if (phase === 'refused') message = `${t('crisisButton.refused')} ${this.callNow()}.`;
    else if (this.signedOut) message = t('common.signedOut');
    return html`
      <section aria-labelledby="care-team-title">
        <h3 part="heading" id="care-team-title">${t('crisisButton.careTeamTitle')}</h3>
        ${done ? nothing : html`<p class="hint">${t('crisisButton.careTeamHint')}</p>`}
        <button class="primary alert" part="alert-button" type="button" ?disabled=${busy || done} aria-describedby=${message ? 'next-steps' : nothing} @click=${() => void this.onAlert()}>
          ${busy ? t('crisisButton.sending') : done ? (phase === 'queued' ? t('crisisButton.waiting') : t('crisisButton.told')) : t('crisisButton.tellCareTeam')}
        </button>
        ${message ? html`<p id="next-steps" class="next ${phase === 'sent' ? 'ok' : 'warning'}" part="next-steps">${message}</p>` : nothing}
        ${onCall?.phone && !done
          ? html`<p><a part="link" class="action small" href="tel:${dialable(onCall.phone)}">${t('crisisButton.onCallPhone', { phone: onCall.phone })}</a></p>`
          : nothing}
      </section>
    `;
  }

  protected override render() {
    const t = this.t;
    const { lines, emergency } = this.lines;
    const dir = this.localize.dir === 'rtl' ? 'rtl' : nothing;
    const shortcut = parseShortcut(this.shortcut);
    return html`
      <button
        class="trigger ${this.themeClass}"
        part="trigger"
        type="button"
        aria-haspopup="dialog"
        aria-keyshortcuts=${shortcut ? this.shortcut : nothing}
        aria-describedby=${shortcut ? 'shortcut-hint' : nothing}
        lang=${this.localize.language}
        dir=${dir}
        @click=${() => this.show('button')}
      >
        <span aria-hidden="true" class="icon">♥</span> ${t('crisisButton.label')}
      </button>
      ${shortcut
        ? html`<span id="shortcut-hint" class="shortcut-hint ${this.themeClass}" part="shortcut-hint" lang=${this.localize.language} dir=${dir}
            >${t('crisisButton.shortcutHint', { keys: this.shortcut })}</span
          >`
        : nothing}
      <dialog
        part="dialog"
        aria-labelledby="crisis-title"
        aria-describedby="crisis-intro"
        lang=${this.localize.language}
        dir=${dir}
        @keydown=${this.onDialogKeydown}
        @close=${this.onDialogClose}
        @click=${this.onBackdropClick}
      >
        <div class="panel ${this.themeClass}" part="panel">
          <h2 id="crisis-title" part="title" tabindex="-1">${t('crisis.title')}</h2>
          <p id="crisis-intro">${t('crisisButton.intro')}</p>
          <section aria-labelledby="lines-title">
            <h3 part="heading" id="lines-title">${t('crisisButton.linesTitle')}</h3>
            ${renderNoNationalLine(this.lines.info, t)}
            ${lines.length > 0
              ? html`<ul class="lines" part="crisis-lines">${lines.map((line) => this.renderLine(line))}</ul>
                  <p class="hint">${t('common.hours24')}</p>`
              : nothing}
          </section>
          <section aria-labelledby="emergency-title">
            <h3 part="heading" id="emergency-title">${t('crisisButton.emergencyTitle')}</h3>
            <a class="action emergency" part="emergency" href="tel:${emergency}">${t('crisis.emergency', { number: emergency })}</a>
          </section>
          ${this.renderContacts()} ${this.renderCareTeam()}
          <div class="visually-hidden" role="status" aria-live="polite" part="status">${this.announcement}</div>
          <div class="footer">
            <button type="button" part="close-button" @click=${() => this.close()}>${t('crisisButton.close')}</button>
          </div>
        </div>
      </dialog>
    `;
  }
}
