import type { TFunction } from 'i18next';
import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { COMMENT_MAX } from '../../server/contract/groups.js';
import type { CareClient } from '../core/api-client.js';
import { failureOf, type Failure } from '../core/failure.js';
import { addEnglish } from '../core/i18n.js';
import sessionFeedback from '../../locales/en/sessionFeedback.json';

// Loaded with the live room (a chunk of its own): only someone who was in a session is asked.
addEnglish({ sessionFeedback });

export interface SessionFeedbackOptions {
  api(): CareClient;
  t(): TFunction;
  announce(message: string): void;
  fail(failure: Failure, message: string): void;
  failureText(failure: Failure): string;
  /** Sent: the element fires `care-feedback`. */
  sent(detail: { groupId: string; rating: number }): void;
  /** "Back to the group" / "Skip". */
  back(): void;
  root(): HTMLElement | DocumentFragment;
}

/** The one feedback question after a live session (`groups.feedback`): a rating, an optional comment. */
export class SessionFeedbackController implements ReactiveController {
  rating = 0;
  comment = '';
  state: 'asking' | 'sending' | 'sent' | 'error' = 'asking';
  error = '';

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: SessionFeedbackOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  private update(changes: Partial<Pick<SessionFeedbackController, 'rating' | 'comment' | 'state' | 'error'>>): void {
    Object.assign(this, changes);
    this.host.requestUpdate();
  }

  /** The live room closed: ask the question again, with focus on it. */
  ask(): void {
    this.update({ rating: 0, comment: '', state: 'asking', error: '' });
    void this.host.updateComplete.then(() => this.options.root().querySelector<HTMLElement>('.feedback h3')?.focus());
  }

  private async send(event: SubmitEvent, groupId: string, sessionStart: string | undefined): Promise<void> {
    event.preventDefault();
    if (!sessionStart) return;
    const t = this.options.t();
    if (this.rating < 1) {
      this.update({ error: t('sessionFeedback.required') });
      this.options.announce(this.error);
      return;
    }
    this.update({ state: 'sending', error: '' });
    try {
      const comment = this.comment.trim();
      await this.options.api().groups.feedback.mutate({ groupId, sessionStart, rating: this.rating, ...(comment ? { comment } : {}) });
      this.update({ state: 'sent' });
      this.options.announce(t('sessionFeedback.thanks'));
      this.options.sent({ groupId, rating: this.rating });
    } catch (error) {
      const failure = failureOf(error);
      this.update({ state: 'error', error: this.options.failureText(failure) });
      this.options.fail(failure, this.error);
    }
  }

  render(groupId: string, sessionStart: string | undefined) {
    const t = this.options.t();
    const back = () => this.options.back();
    if (this.state === 'sent') {
      return html`<section class="feedback" part="feedback" aria-labelledby="feedback-title">
        <h3 part="heading" id="feedback-title" tabindex="-1">${t('sessionFeedback.thanks')}</h3>
        <button part="button" type="button" @click=${back}>${t('sessionFeedback.back')}</button>
      </section>`;
    }
    const error = this.error;
    return html`
      <section class="feedback" part="feedback" aria-labelledby="feedback-title">
        <h3 part="heading" id="feedback-title" tabindex="-1">${t('sessionFeedback.title')}</h3>
        <form part="form" novalidate @submit=${(e: SubmitEvent) => void this.send(e, groupId, sessionStart)}>
          <fieldset aria-describedby=${error ? 'feedback-error' : nothing}>
            <legend>${t('sessionFeedback.question')}</legend>
            <div class="rating">
              ${[1, 2, 3, 4, 5].map(
                (n) => html`<label part="option" class="option">
                  <input part="choice" type="radio" name="rating" value=${n} .checked=${this.rating === n} @change=${() => this.update({ rating: n })} />
                  ${t(`sessionFeedback.scale.${n}`)}
                </label>`,
              )}
            </div>
          </fieldset>
          ${error ? html`<p class="error" id="feedback-error">${error}</p>` : nothing}
          <label part="label" for="feedback-comment">${t('sessionFeedback.comment')}</label>
          <textarea
            part="input"
            id="feedback-comment"
            rows="3"
            maxlength=${COMMENT_MAX}
            .value=${this.comment}
            @input=${(e: Event) => (this.comment = (e.target as HTMLTextAreaElement).value)}
          ></textarea>
          <div class="actions">
            <button part="button" class="primary" type="submit" ?disabled=${this.state === 'sending'}>${t('sessionFeedback.send')}</button>
            <button part="button" type="button" @click=${back}>${t('sessionFeedback.skip')}</button>
          </div>
        </form>
      </section>
    `;
  }
}
