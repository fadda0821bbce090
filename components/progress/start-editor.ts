import type { TFunction } from 'i18next';
import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { ProgressSummary, RecoveryStartResult } from '../../server/contract/progress.js';
import { failureOf, type Failure } from '../core/failure.js';

export interface StartEditorHost extends ReactiveControllerHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
}

export interface StartEditorOptions {
  t(): TFunction;
  /** Stores the date (`progress.setRecoveryStart`). */
  save(date: string): Promise<RecoveryStartResult>;
  /** After a save: tell the page, load the summary again, announce. */
  saved(result: RecoveryStartResult, date: string): Promise<void>;
  /** The widget's sentence for a failure the editor does not word itself. */
  failureText(failure: Failure): string;
}

/**
 * The "set / change my recovery start date" button and form of `<care-progress>`: its open,
 * saving and error states, focus moves and the save call. Renders into the host's shadow root
 * (parts `start-form`, `label`, `input`, `button`).
 */
export class RecoveryStartEditor implements ReactiveController {
  private editing = false;
  private saving = false;
  private error = '';

  constructor(
    private readonly host: StartEditorHost,
    private readonly options: StartEditorOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  private set(state: { editing?: boolean; saving?: boolean; error?: string }): void {
    Object.assign(this, state);
    this.host.requestUpdate();
  }

  private async focus(selector: string): Promise<void> {
    await this.host.updateComplete;
    this.host.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  private async open(): Promise<void> {
    this.set({ editing: true, error: '' });
    await this.focus('#start-date');
  }

  private async close(): Promise<void> {
    this.set({ editing: false, error: '' });
    await this.focus('.edit-start');
  }

  private readonly onSubmit = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const t = this.options.t();
    const input = (event.target as HTMLFormElement).elements.namedItem('startDate') as HTMLInputElement;
    const date = input.value;
    if (!date) {
      this.set({ error: t('progress.start.required') });
      input.focus();
      return;
    }
    this.set({ saving: true, error: '' });
    try {
      const result = await this.options.save(date);
      this.set({ editing: false });
      await this.options.saved(result, date);
      await this.focus('.edit-start');
    } catch (error) {
      const failure = failureOf(error);
      this.set({
        error:
          failure.kind === 'invalid'
            ? t('progress.start.future')
            : failure.kind === 'offline'
              ? t('progress.start.offline')
              : this.options.failureText(failure),
      });
      await this.host.updateComplete;
      input.focus();
    } finally {
      this.set({ saving: false });
    }
  };

  /** The button, or the form while editing. `disabled` while the summary on screen is a saved copy. */
  render(s: ProgressSummary, disabled: boolean): TemplateResult {
    const t = this.options.t();
    if (!this.editing) {
      return html`<button part="button" type="button" class="edit-start" @click=${() => void this.open()} ?disabled=${disabled}>
        ${s.recovery.startDate ? t('progress.start.change') : t('progress.start.set')}
      </button>`;
    }
    return html`<form class="start-form" part="start-form" novalidate @submit=${this.onSubmit}>
      <label part="label" for="start-date">${t('progress.start.label')}</label>
      <p class="hint" id="start-hint">${t('progress.start.hint')}</p>
      <input
        part="input"
        id="start-date"
        name="startDate"
        type="date"
        max=${s.today}
        .value=${s.recovery.startDate ?? ''}
        aria-describedby="start-hint ${this.error ? 'start-error' : ''}"
        aria-invalid=${this.error ? 'true' : 'false'}
      />
      ${this.error ? html`<p class="error" id="start-error">${this.error}</p>` : nothing}
      <div class="actions">
        <button part="button" type="submit" class="primary" ?disabled=${this.saving}>${this.saving ? t('progress.start.saving') : t('progress.start.save')}</button>
        <button part="button" type="button" @click=${() => void this.close()}>${t('progress.start.cancel')}</button>
      </div>
    </form>`;
  }
}
