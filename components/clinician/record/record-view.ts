import { css, html, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { TFunction } from 'i18next';
import type { CareElement } from '../../core/care-element.js';
import { careEvent } from '../../core/events.js';

/** The record (progress charts, safety plan, history) is code a list widget needs only when a record opens. */
const loadRecordElement = () => import('../care-client-record.js');

export interface OpenClient {
  clientId: string;
  name: string | null;
  /** The opener's `data-open-client` value (default: the client id), when one person has several openers. */
  opener?: string;
}

type Host = ReactiveControllerHost & CareElement;

/**
 * A client record opened from inside a list widget (roster row, alert): fires `care-open-client`
 * (a host that calls preventDefault shows the record itself), otherwise shows `<care-client-record>`
 * in the widget with a Back button; Back or Escape returns focus to the control that opened it.
 * The opener is found again by `data-open-client`, so it survives re-renders of the list.
 */
export class RecordViewController implements ReactiveController {
  open: OpenClient | null = null;

  constructor(private readonly host: Host) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** Returns false when a listener took over (preventDefault) and nothing opened here. */
  async show(client: OpenClient): Promise<boolean> {
    const event = careEvent('care-open-client', { clientId: client.clientId });
    if (!this.host.dispatchEvent(event)) return false;
    await loadRecordElement();
    this.open = client;
    this.host.requestUpdate();
    await this.host.updateComplete;
    const record = this.host.renderRoot.querySelector('care-client-record');
    await (record as (Element & { updateComplete?: Promise<unknown> }) | null)?.updateComplete;
    record?.shadowRoot?.querySelector<HTMLElement>('#title')?.focus();
    return true;
  }

  async close(): Promise<void> {
    if (!this.open) return;
    const key = this.open.opener ?? this.open.clientId;
    this.open = null;
    this.host.requestUpdate();
    await this.host.updateComplete;
    const opener = [...this.host.renderRoot.querySelectorAll<HTMLElement>('[data-open-client]')].find((el) => el.dataset['openClient'] === key);
    opener?.focus();
  }

  private readonly onKeydown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || event.defaultPrevented) return;
    event.preventDefault();
    void this.close();
  };

  /** The record with its Back button; `back` is the button's text. Pass the host's own endpoint/token overrides down. */
  render(t: TFunction, back: string) {
    const open = this.open;
    if (!open) return null;
    const { endpoint, token, locale, theme, region, tokenProvider } = this.host;
    return html`<div class="record-view" @keydown=${this.onKeydown}>
      <button part="button" type="button" class="back" aria-describedby="back-hint" @click=${() => void this.close()}>
        <span aria-hidden="true" class="back-arrow">←</span> ${back}
      </button>
      <span class="visually-hidden" id="back-hint">${t('record.backHint')}</span>
      <care-client-record
        client-id=${open.clientId}
        client-name=${open.name ?? ''}
        .endpoint=${endpoint}
        .token=${token}
        .locale=${locale}
        .theme=${theme}
        .region=${region}
        .tokenProvider=${tokenProvider}
      ></care-client-record>
    </div>`;
  }
}

/** Styles of the Back button and the opener buttons, for the widget that hosts the record view. */
export const recordViewStyles = css`
  .record-view {
    display: grid;
    gap: 0.75rem;
    min-inline-size: 0;
  }
  .back {
    justify-self: start;
  }
  :dir(rtl) .back-arrow,
  [dir='rtl'] .back-arrow {
    display: inline-block;
    transform: scaleX(-1);
  }
`;
