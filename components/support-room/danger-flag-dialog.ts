import { html, nothing } from 'lit';
import { DANGER_NOTE_MAX } from '../../server/contract/danger-flags.js';
import { codeOf, failureOf, failureText } from '../core/failure.js';
import type { DangerFlagController } from './danger-flag.js';
import { ROOM_FAILURES } from './failure-text.js';
import { addEnglish } from '../core/i18n.js';
import dangerFlagDialog from '../../locales/en/dangerFlagDialog.json';

addEnglish({ dangerFlagDialog });

/*
 * The "may be in danger" dialog and the live room's list of people to flag: a chunk of its own,
 * fetched when a person first opens a flag (or the live room shows its list), so a group page
 * carries only the notices (danger-flag.ts).
 */

/** Sends the flag the dialog confirms; the result is announced and shown. */
async function send(c: DangerFlagController, event: SubmitEvent, groupId: string): Promise<void> {
  event.preventDefault();
  const target = c.target;
  if (!target || c.sending) return;
  const t = c.options.t();
  c.sending = true;
  c.host.requestUpdate();
  const note = c.note.trim();
  try {
    // Jitsi's participant ids are its own, not ours: a participant is named by the alias they appear under.
    const input = target.kind === 'post' ? { groupId, postId: target.postId } : { groupId, participantAlias: target.label };
    const done = await c.options.api().groups.flagDanger.mutate({ ...input, ...(note ? { note } : {}) });
    c.result = { ok: true, message: t('dangerFlagDialog.sent', { name: done.label }) };
    c.options.announce(c.result.message);
    c.sending = false;
    c.close();
    void c.load(groupId, true);
  } catch (error) {
    const failure = failureOf(error);
    const message = codeOf(error) === 'TOO_MANY_REQUESTS' ? t('dangerFlagDialog.tooMany') : t('dangerFlag.failed', { message: failureText(failure, t, ROOM_FAILURES) });
    c.result = { ok: false, message };
    c.options.announce(message);
    c.sending = false;
    c.host.requestUpdate();
  }
}

/** Inside the live room: flag someone who is in it. */
export function renderParticipants(c: DangerFlagController) {
  const t = c.options.t();
  const people = [...c.participants.entries()].filter(([, name]) => name);
  return html`<details class="danger-participants" part="danger-participants">
    <summary>${t('dangerFlagDialog.participantsTitle')}</summary>
    <p class="muted">${t('dangerFlagDialog.participantsIntro')}</p>
    ${people.length === 0
      ? html`<p class="muted">${t('dangerFlagDialog.noParticipants')}</p>`
      : html`<ul class="participants">
          ${people.map(
            ([id, name]) => html`<li>
              <bdi>${name}</bdi>
              <button
                part="button"
                type="button"
                class="small"
                data-participant=${id}
                aria-label=${t('dangerFlag.flagPerson', { name })}
                @click=${(e: Event) => void c.open({ kind: 'participant', label: name, id }, e.currentTarget as HTMLElement)}
              >
                ${t('dangerFlag.flag')}
              </button>
            </li>`,
          )}
        </ul>`}
  </details>`;
}

/** The confirmation dialog, and the result of the last flag (a polite status). */
export function renderDialog(c: DangerFlagController, groupId: string) {
  const t = c.options.t();
  const target = c.target;
  const name = target?.label ?? '';
  return html`
    <dialog class="danger-flag" part="danger-dialog" aria-labelledby="danger-title" aria-describedby="danger-text" @close=${() => c.target && c.close()}>
      ${target
        ? html`<form part="form" method="dialog" novalidate @submit=${(e: SubmitEvent) => void send(c, e, groupId)}>
            <h3 part="heading" id="danger-title">${t('dangerFlagDialog.dialogTitle', { name })}</h3>
            <p id="danger-text">${t('dangerFlagDialog.dialogText', { name })}</p>
            <p>${t('dangerFlagDialog.emergencyNow')}</p>
            <label part="label" for="danger-note">${t('dangerFlagDialog.noteLabel')}</label>
            <textarea
              part="input"
              id="danger-note"
              rows="2"
              maxlength=${DANGER_NOTE_MAX}
              .value=${c.note}
              @input=${(e: Event) => (c.note = (e.target as HTMLTextAreaElement).value)}
            ></textarea>
            ${c.result && !c.result.ok ? html`<p class="error" role="alert">${c.result.message}</p>` : nothing}
            <div class="actions">
              <button part="button" class="primary" type="submit" ?disabled=${c.sending}>${c.sending ? t('dangerFlagDialog.sending') : t('dangerFlagDialog.confirm')}</button>
              <button part="button" type="button" @click=${() => c.close()}>${t('dangerFlagDialog.cancel')}</button>
            </div>
          </form>`
        : nothing}
    </dialog>
    ${c.result?.ok ? html`<p class="notice ok danger-result" part="notice" role="status">${c.result.message}</p>` : nothing}
  `;
}
