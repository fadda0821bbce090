import { html, nothing, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import { groupVideoSettings, type GroupVideoSettings } from '../../server/contract/group-admin.js';
import { GROUP_TOPICS, WEEKDAYS, type GroupMemberRecord, type GroupSession, type GroupSummary, type Weekday } from '../../server/contract/groups.js';
import { LANGUAGES } from '../../server/contract/languages.js';
import { CareElement } from '../core/care-element.js';
import { defineElement } from '../core/define.js';
import { failureOf, isConflict, renderFailure, type Failure } from '../core/failure.js';
import { addEnglish } from '../core/i18n.js';
import { tokens } from '../core/theme.js';
import adminGroups from '../../locales/en/adminGroups.json';
import { adminStyles } from './admin.styles.js';
import { adminGroupsStyles } from './admin-groups.styles.js';
import { SectionForms } from './section-forms.js';
import { SectionLoader } from './section-loader.js';

addEnglish({ adminGroups });

/** The forms of the section; each keeps its own refused fields. */
export type GroupForm = 'create' | 'edit' | 'guidelines' | 'member' | 'video';

/** `care-admin-group-saved`: what was saved in the Groups section. */
export interface CareAdminGroupSavedDetail {
  action: 'create' | 'update' | 'guidelines' | 'add-member' | 'member-role' | 'remove-member' | 'video';
  groupId: string | null;
}

/** `care-admin-group-refused`: the form or the server refused values; nothing was changed. */
export interface CareAdminGroupRefusedDetail {
  form: GroupForm;
  fields: string[];
}

declare global {
  interface GlobalEventHandlersEventMap {
    'care-admin-group-saved': CustomEvent<CareAdminGroupSavedDetail>;
    'care-admin-group-refused': CustomEvent<CareAdminGroupRefusedDetail>;
  }
}

/** A session row as typed. */
export interface SessionDraft {
  day: Weekday;
  start: string;
  minutes: string;
}

/** The details form (create and edit) as typed. */
export interface GroupDraft {
  name: string;
  topic: string;
  description: string;
  language: string;
  timeZone: string;
  capacity: string;
  schedule: SessionDraft[];
  /** Create only: the first guidelines, in the group's language. */
  guidelines: string;
}

export interface VideoDraft {
  domain: string;
  appId: string;
  appSecret: string;
  tenant: string;
}

/** Languages a group may be held in: the widgets' languages with a plain code (en, es, ar…). */
export const GROUP_LANGUAGES: readonly string[] = LANGUAGES.filter((l) => /^[a-z]{2,3}$/.test(l));
const FIELDS = new Set(['name', 'topic', 'description', 'language', 'timeZone', 'capacity', 'schedule', 'guidelines', 'userId', 'role', 'domain', 'appId', 'appSecret', 'tenant', 'changes', 'conflict']);
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?::\d{2,5})?$/i;

const wholeIn = (text: string, min: number, max: number) => {
  const n = Number(text);
  return text.trim() !== '' && Number.isInteger(n) && n >= min && n <= max;
};

/** Fields the details form refuses before any call (the server checks again). */
export function checkGroup(draft: GroupDraft, creating: boolean): string[] {
  const bad: string[] = [];
  if (!draft.name.trim() || draft.name.trim().length > 120) bad.push('name');
  if (draft.description.length > 2000) bad.push('description');
  if (!draft.timeZone.trim()) bad.push('timeZone');
  if (draft.schedule.length === 0 || draft.schedule.length > 14 || draft.schedule.some((s) => !TIME.test(s.start) || !wholeIn(s.minutes, 15, 240))) bad.push('schedule');
  if (!wholeIn(draft.capacity, 2, 100)) bad.push('capacity');
  if (creating && (!draft.guidelines.trim() || draft.guidelines.length > 10_000)) bad.push('guidelines');
  return bad;
}

export const scheduleOf = (draft: GroupDraft): GroupSession[] => draft.schedule.map((s) => ({ day: s.day, start: s.start, minutes: Number(s.minutes) }));

/** Fields the video form refuses before any call. */
export function checkVideo(draft: VideoDraft): string[] {
  const bad: string[] = [];
  if (!HOST.test(draft.domain.trim())) bad.push('domain');
  const id = draft.appId.trim();
  const secret = draft.appSecret;
  if (id && !secret) bad.push('appSecret');
  if (!id && secret) bad.push('appId');
  if (secret && (secret.length < 16 || secret.length > 500)) bad.push('appSecret');
  if (draft.tenant.trim() && !/^[\w.-]{1,200}$/.test(draft.tenant.trim())) bad.push('tenant');
  return [...new Set(bad)];
}

/** `schedule.0.start`, `guidelines.en` → the form field the message goes next to. */
const fieldOf = (path: string): string => path.split('.')[0] ?? path;

const emptySession = (): SessionDraft => ({ day: 'mon', start: '18:00', minutes: '60' });

/**
 * The Groups section of `<care-admin>`: the clinic's support groups, creating one, editing its
 * details and weekly schedule (in the group's time zone), publishing a new version of its
 * guidelines (every member accepts it again before taking part), its members and moderators, and
 * the clinic's video settings (the app secret is write-only: the server only says whether one is
 * set). Always the signed-in admin's own clinic; every change is one call the server audits.
 *
 * Rendered by `<care-admin>`, from which it takes its endpoint, token and locale (or from the
 * enclosing `<care-provider>`); it also works on its own.
 *
 * @summary Support groups, their members and guidelines, and the video settings, for a clinic's admin.
 * @tag care-admin-groups
 *
 * @event {CustomEvent<CareAdminGroupSavedDetail>} care-admin-group-saved - A change was saved. `detail: { action, groupId }`.
 * @event {CustomEvent<CareAdminGroupRefusedDetail>} care-admin-group-refused - The form or the server refused values; nothing changed. `detail: { form, fields }`.
 * @event {CustomEvent<CareErrorDetail>} care-error - Loading or a call failed for another reason. `detail: { kind, message }`.
 *
 * @csspart base - The section's outer box.
 * @csspart section - The section and each of its parts.
 * @csspart group-list - The list of groups.
 * @csspart members - The members table.
 * @csspart field-error - A message next to a refused field.
 * @csspart notice - Loading problems and empty states.
 * @csspart status - The live region announcing results.
 * @csspart button - Buttons.
 * @csspart save-button - Each form's main button.
 * @csspart input - Text boxes, selects and text areas.
 * @csspart label - Labels.
 *
 * @cssproperty --care-color-primary - Buttons and focus ring.
 * @cssproperty --care-color-surface - Background.
 * @cssproperty --care-color-text - Text.
 * @cssproperty --care-color-text-muted - Hints.
 * @cssproperty --care-color-border - Lines.
 * @cssproperty --care-color-danger - Field errors.
 */
export class CareAdminGroups extends CareElement {
  static override styles = [tokens, adminStyles, adminGroupsStyles];

  @state() private groups: GroupSummary[] | null = null;
  @state() private video: GroupVideoSettings | null = null;
  @state() private clinicZone = 'UTC';
  @state() private clinicLanguage = 'en';
  @state() private failure: Failure | null = null;
  /** What the notice says of a failure once the groups are shown: which call failed (a save or a reload). */
  @state() private failureNotice: 'adminGroups.saveFailed' | 'adminGroups.loadFailed' = 'adminGroups.saveFailed';
  /** The group being managed. */
  @state() private selected: string | null = null;
  @state() private members: GroupMemberRecord[] | null = null;
  @state() private creating: GroupDraft | null = null;
  @state() private editing: GroupDraft | null = null;
  @state() private guidelines: Record<string, string> = {};
  @state() private newMember = { userId: '', role: 'member' as 'member' | 'moderator' };
  @state() private confirmRemove: string | null = null;
  @state() private videoDraft: VideoDraft = { domain: '', appId: '', appSecret: '', tenant: '' };

  /** The section's forms; loading a group's members keeps the member form busy. */
  private readonly forms = new SectionForms<GroupForm, GroupForm | 'members'>(this, {
    sectionOf: (task) => (task === 'members' ? 'member' : task),
    selector: (form) => `[data-form="${form}"]`,
    errorId: (form, field) => `${form}-${field}-error`,
    label: (field) => this.t(`adminGroups.fields.${FIELDS.has(field) ? field : 'other'}`),
    refusedKey: 'adminGroups.refused',
    saveFailedKey: 'adminGroups.saveFailed',
    refused: (form, fields) => this.emit('care-admin-group-refused', { form, fields }),
    field: (error) => [fieldOf(error.path), FIELDS.has(fieldOf(error.path)) ? null : error.message],
    refusal: async (error, failure, form) => {
      if (isConflict(error)) {
        // Someone else changed it first: read it again, then say so.
        await this.refreshGroups().catch(() => undefined);
        if (form === 'guidelines') this.guidelines = { ...(this.group?.guidelines ?? this.guidelines) };
        return new Map([['conflict', null]]);
      }
      return failure.kind === 'invalid' ? new Map([['other', failure.message]]) : null;
    },
    showFailure: (failure) => {
      this.failure = failure;
      this.failureNotice = 'adminGroups.saveFailed';
    },
  });

  private readonly loader = new SectionLoader(this, {
    args: () => [this.token, this.endpoint, this.provided],
    ready: () => Boolean(this.config.token),
    load: async (signal) => {
      const [list, video, clinic] = await Promise.all([
        this.api.groups.list.query(undefined, { signal }),
        this.api.groups.videoConfig.query(undefined, { signal }),
        this.api.admin.clinic.query(undefined, { signal }),
      ]);
      this.groups = list.groups;
      this.showVideo(groupVideoSettings(video));
      this.clinicZone = clinic.timeZone;
      this.clinicLanguage = GROUP_LANGUAGES.includes(clinic.defaultLocale) ? clinic.defaultLocale : 'en';
      this.failure = null;
      if (this.selected && !list.groups.some((g) => g.id === this.selected)) this.selected = null;
    },
    failed: (failure) => this.showLoadFailure(failure),
  });

  /** A read that failed (the groups, or a group's members): said as such, not as a failed save. */
  private showLoadFailure(failure: Failure): void {
    this.failure = failure;
    this.failureNotice = 'adminGroups.loadFailed';
    this.announce(this.t('adminGroups.loadFailed'));
    this.emit('care-error', { kind: failure.kind, message: failure.message });
  }

  /** Reads the groups and the video settings again. */
  async reload(): Promise<void> {
    await this.loader.load();
  }

  private showVideo(video: GroupVideoSettings): void {
    this.video = video;
    this.videoDraft = { domain: video.configured ? video.domain : '', appId: video.appId ?? '', appSecret: '', tenant: video.tenant ?? '' };
  }

  private async refreshGroups(): Promise<void> {
    this.groups = (await this.api.groups.list.query()).groups;
  }

  private async refreshMembers(groupId: string): Promise<void> {
    this.members = (await this.api.groups.members.query({ groupId })).members;
  }

  private get group(): GroupSummary | null {
    return this.groups?.find((g) => g.id === this.selected) ?? null;
  }

  private draftOf(group: GroupSummary): GroupDraft {
    return {
      name: group.name,
      topic: group.topic,
      description: group.description,
      language: group.language,
      timeZone: group.timeZone,
      capacity: String(group.capacity),
      schedule: group.schedule.map((s) => ({ day: s.day, start: s.start, minutes: String(s.minutes) })),
      guidelines: '',
    };
  }

  private async manage(groupId: string): Promise<void> {
    if (this.selected === groupId) {
      this.selected = null;
      return;
    }
    const group = this.groups?.find((g) => g.id === groupId);
    if (!group) return;
    this.selected = groupId;
    this.creating = null;
    this.editing = this.draftOf(group);
    this.guidelines = { ...group.guidelines };
    this.members = null;
    this.confirmRemove = null;
    this.forms.clear();
    await this.forms.busyWhile('members', () => this.refreshMembers(groupId)).catch((error: unknown) => this.showLoadFailure(failureOf(error)));
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#group-panel-title')?.focus();
  }

  private startCreate(): void {
    this.selected = null;
    this.forms.clear();
    this.creating = {
      name: '',
      topic: 'recovery',
      description: '',
      language: this.clinicLanguage,
      timeZone: this.clinicZone,
      capacity: '12',
      schedule: [emptySession()],
      guidelines: '',
    };
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#create-name')?.focus());
  }

  private async submitCreate(event: Event): Promise<void> {
    event.preventDefault();
    const draft = this.creating;
    if (!draft || this.forms.busy) return;
    const bad = checkGroup(draft, true);
    if (bad.length > 0) return this.forms.refuse('create', bad);
    await this.forms.run(
      'create',
      () =>
        this.api.groups.create.mutate({
          name: draft.name.trim(),
          topic: draft.topic as GroupSummary['topic'],
          description: draft.description,
          language: draft.language,
          timeZone: draft.timeZone.trim(),
          schedule: scheduleOf(draft),
          capacity: Number(draft.capacity),
          guidelines: { [draft.language]: draft.guidelines },
        }),
      async (group) => {
        this.creating = null;
        await this.refreshGroups();
        this.announce(this.t('adminGroups.created', { name: group.name }));
        this.emit('care-admin-group-saved', { action: 'create', groupId: group.id });
        await this.manage(group.id);
      },
    );
  }

  private async submitEdit(event: Event): Promise<void> {
    event.preventDefault();
    const draft = this.editing;
    const group = this.group;
    if (!draft || !group || this.forms.busy) return;
    const bad = checkGroup(draft, false);
    if (bad.length > 0) return this.forms.refuse('edit', bad);
    await this.forms.run(
      'edit',
      () =>
        this.api.groups.update.mutate({
          groupId: group.id,
          name: draft.name.trim(),
          description: draft.description,
          timeZone: draft.timeZone.trim(),
          schedule: scheduleOf(draft),
          capacity: Number(draft.capacity),
        }),
      async (result) => {
        await this.refreshGroups();
        const fresh = this.group;
        if (fresh) this.editing = this.draftOf(fresh);
        this.announce(this.t(result.changed.length ? 'adminGroups.updated' : 'adminGroups.unchanged', { name: fresh?.name ?? group.name }));
        this.emit('care-admin-group-saved', { action: 'update', groupId: group.id });
      },
    );
  }

  private async publishGuidelines(event: Event): Promise<void> {
    event.preventDefault();
    const group = this.group;
    if (!group || this.forms.busy) return;
    const texts = Object.fromEntries(Object.entries(this.guidelines).filter(([, text]) => text.trim()));
    if (Object.keys(texts).length === 0 || Object.values(texts).some((t) => t.length > 10_000)) return this.forms.refuse('guidelines', ['guidelines']);
    await this.forms.run(
      'guidelines',
      () => this.api.groups.setGuidelines.mutate({ groupId: group.id, guidelines: texts }),
      async (result) => {
        await this.refreshGroups();
        await this.refreshMembers(group.id);
        this.guidelines = { ...(this.group?.guidelines ?? texts) };
        this.announce(this.t('adminGroups.guidelines.published', { version: result.version }));
        this.emit('care-admin-group-saved', { action: 'guidelines', groupId: group.id });
      },
    );
  }

  private async addMember(event: Event): Promise<void> {
    event.preventDefault();
    const group = this.group;
    if (!group || this.forms.busy) return;
    const userId = this.newMember.userId.trim();
    if (!userId || userId.length > 200) return this.forms.refuse('member', ['userId']);
    await this.forms.run(
      'member',
      () => this.api.groups.addMember.mutate({ groupId: group.id, userId, role: this.newMember.role }),
      async (result) => {
        this.newMember = { userId: '', role: 'member' };
        await this.refreshMembers(group.id);
        await this.refreshGroups();
        this.announce(this.t(result.role === 'moderator' ? 'adminGroups.members.addedModerator' : 'adminGroups.members.added', { person: result.userId }));
        this.emit('care-admin-group-saved', { action: 'add-member', groupId: group.id });
        await this.updateComplete;
        this.renderRoot.querySelector<HTMLElement>('#member-userId')?.focus();
      },
    );
  }

  private async setRole(member: GroupMemberRecord, role: 'member' | 'moderator'): Promise<void> {
    const group = this.group;
    if (!group || this.forms.busy) return;
    const saved = await this.forms.run(
      'member',
      () => this.api.groups.setMemberRole.mutate({ groupId: group.id, userId: member.userId, role }),
      async () => {
        await this.refreshMembers(group.id);
        await this.refreshGroups();
        this.announce(this.t(role === 'moderator' ? 'adminGroups.members.madeModerator' : 'adminGroups.members.madeMember', { person: member.userId }));
        this.emit('care-admin-group-saved', { action: 'member-role', groupId: group.id });
      },
    );
    if (!saved) return;
    // The same button, now offering the opposite change (enabled again once the call ended).
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`[data-role-for="${CSS.escape(member.userId)}"]`)?.focus();
  }

  private async askRemove(userId: string): Promise<void> {
    this.confirmRemove = userId;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#confirm-remove')?.focus();
  }

  private async removePerson(member: GroupMemberRecord): Promise<void> {
    const group = this.group;
    if (!group || this.forms.busy) return;
    await this.forms.run(
      'member',
      () => this.api.groups.removeMember.mutate({ groupId: group.id, userId: member.userId }),
      async () => {
        this.confirmRemove = null;
        await this.refreshMembers(group.id);
        await this.refreshGroups();
        this.announce(this.t('adminGroups.members.removed', { person: member.userId }));
        this.emit('care-admin-group-saved', { action: 'remove-member', groupId: group.id });
        await this.updateComplete;
        this.renderRoot.querySelector<HTMLElement>('#member-userId')?.focus();
      },
    );
  }

  private async saveVideo(event: Event): Promise<void> {
    event.preventDefault();
    if (this.forms.busy) return;
    const draft = this.videoDraft;
    const bad = checkVideo(draft);
    if (bad.length > 0) return this.forms.refuse('video', bad);
    const appId = draft.appId.trim();
    const tenant = draft.tenant.trim();
    await this.forms.run(
      'video',
      () =>
        this.api.groups.setVideoConfig.mutate({
          domain: draft.domain.trim(),
          ...(appId ? { appId, appSecret: draft.appSecret } : {}),
          ...(tenant ? { tenant } : {}),
        }),
      async () => {
        this.showVideo(groupVideoSettings(await this.api.groups.videoConfig.query()));
        await this.refreshGroups();
        this.announce(this.t('adminGroups.video.saved'));
        this.emit('care-admin-group-saved', { action: 'video', groupId: null });
      },
    );
  }

  private fieldError(form: GroupForm, field: string): TemplateResult | typeof nothing {
    const errors = this.forms.errorsOf(form);
    if (!errors.has(field)) return nothing;
    const words = errors.get(field);
    const text = FIELDS.has(field) ? this.t(`adminGroups.errors.${field}`) : this.t('adminGroups.errors.other', { message: words ?? '' });
    return html`<p class="error" part="field-error" id=${`${form}-${field}-error`}>${text}</p>`;
  }

  /** Server refusals the form has no field for (a conflict, an unknown key). */
  private otherErrors(form: GroupForm): TemplateResult[] {
    return [...this.forms.errorsOf(form).keys()].filter((f) => !FIELDS.has(f)).map((f) => this.fieldError(form, f) as TemplateResult);
  }

  private formatSession(session: GroupSession): string {
    const [hour, minute] = session.start.split(':').map(Number) as [number, number];
    let time = session.start;
    try {
      time = new Intl.DateTimeFormat(this.config.locale, { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' }).format(new Date(Date.UTC(2026, 0, 1, hour, minute)));
    } catch {
      // the HH:MM as stored
    }
    return this.t('adminGroups.sessionSummary', { day: this.t(`adminGroups.days.${session.day}`), time, minutes: session.minutes });
  }

  private input(form: GroupForm, field: string, value: string, onInput: (value: string) => void, options: { type?: string; hint?: string; dir?: string; autocomplete?: string; min?: number; max?: number } = {}) {
    const id = `${form}-${field}`;
    const hintId = options.hint ? `${id}-hint` : undefined;
    return html`<div class="field">
      <label part="label" for=${id}>${this.t(`adminGroups.fields.${field}`)}</label>
      ${options.hint ? html`<p class="hint" id=${hintId!}>${options.hint}</p>` : nothing}
      <input part="input" id=${id} name=${field} type=${options.type ?? 'text'} dir=${options.dir ?? nothing} autocomplete=${options.autocomplete ?? 'off'}
        min=${options.min ?? nothing} max=${options.max ?? nothing} .value=${value}
        aria-invalid=${this.forms.invalid(form, field)} aria-describedby=${this.forms.describedBy(form, field, hintId)}
        @input=${(e: Event) => onInput((e.target as HTMLInputElement).value)} />
      ${this.fieldError(form, field)}
    </div>`;
  }

  private renderSchedule(form: 'create' | 'edit', draft: GroupDraft, update: (patch: Partial<GroupDraft>) => void) {
    const rows = () => (form === 'create' ? this.creating : this.editing)?.schedule ?? [];
    const setRow = (i: number, patch: Partial<SessionDraft>) => update({ schedule: rows().map((s, k) => (k === i ? { ...s, ...patch } : s)) });
    const add = async () => {
      const count = rows().length;
      update({ schedule: [...rows(), emptySession()] });
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>(`#${form}-session-${count}-day`)?.focus();
    };
    const removeRow = async (i: number) => {
      update({ schedule: rows().filter((_, k) => k !== i) });
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>(`#${form}-add-session`)?.focus();
    };
    return html`<fieldset data-field="schedule" aria-invalid=${this.forms.invalid(form, 'schedule')} aria-describedby=${this.forms.describedBy(form, 'schedule', `${form}-schedule-hint`)}>
      <legend part="label">${this.t('adminGroups.fields.schedule')}</legend>
      <p class="hint" id=${`${form}-schedule-hint`}>${this.t('adminGroups.hints.schedule', { zone: draft.timeZone })}</p>
      ${draft.schedule.map(
        (s, i) => html`<div class="session" role="group" aria-label=${this.t('adminGroups.sessionN', { number: i + 1 })}>
          <div class="field">
            <label part="label" for=${`${form}-session-${i}-day`}>${this.t('adminGroups.fields.day')}</label>
            <select part="input" id=${`${form}-session-${i}-day`} @change=${(e: Event) => setRow(i, { day: (e.target as HTMLSelectElement).value as Weekday })}>
              ${WEEKDAYS.map((d) => html`<option value=${d} ?selected=${s.day === d}>${this.t(`adminGroups.days.${d}`)}</option>`)}
            </select>
          </div>
          <div class="field">
            <label part="label" for=${`${form}-session-${i}-start`}>${this.t('adminGroups.fields.start')}</label>
            <input part="input" id=${`${form}-session-${i}-start`} type="time" .value=${s.start} @input=${(e: Event) => setRow(i, { start: (e.target as HTMLInputElement).value })} />
          </div>
          <div class="field">
            <label part="label" for=${`${form}-session-${i}-minutes`}>${this.t('adminGroups.fields.minutes')}</label>
            <input part="input" id=${`${form}-session-${i}-minutes`} type="number" inputmode="numeric" min="15" max="240" step="5" .value=${s.minutes}
              @input=${(e: Event) => setRow(i, { minutes: (e.target as HTMLInputElement).value })} />
          </div>
          ${draft.schedule.length > 1
            ? html`<button part="button" type="button" aria-label=${this.t('adminGroups.removeSessionN', { number: i + 1 })} @click=${() => void removeRow(i)}>${this.t('adminGroups.removeSession')}</button>`
            : nothing}
        </div>`,
      )}
      ${draft.schedule.length < 14
        ? html`<div class="actions"><button part="button" type="button" id=${`${form}-add-session`} @click=${() => void add()}>${this.t('adminGroups.addSession')}</button></div>`
        : nothing}
      ${this.fieldError(form, 'schedule')}
    </fieldset>`;
  }

  private renderDetails(form: 'create' | 'edit', draft: GroupDraft) {
    // Each change starts from the current draft, not the one this render saw: two changes may come before the next render.
    const update = (patch: Partial<GroupDraft>) => {
      if (form === 'create' && this.creating) this.creating = { ...this.creating, ...patch };
      if (form === 'edit' && this.editing) this.editing = { ...this.editing, ...patch };
    };
    const busy = this.forms.busy === form;
    const submit = (e: Event) => void (form === 'create' ? this.submitCreate(e) : this.submitEdit(e));
    return html`<form novalidate data-form=${form} aria-busy=${busy ? 'true' : 'false'} aria-labelledby=${`${form}-title`} @submit=${submit}>
      ${this.input(form, 'name', draft.name, (name) => update({ name }))}
      ${form === 'create'
        ? html`<div class="field">
              <label part="label" for="create-topic">${this.t('adminGroups.fields.topic')}</label>
              <select part="input" id="create-topic" name="topic" @change=${(e: Event) => update({ topic: (e.target as HTMLSelectElement).value })}>
                ${GROUP_TOPICS.map((topic) => html`<option value=${topic} ?selected=${draft.topic === topic}>${this.t(`adminGroups.topics.${topic}`)}</option>`)}
              </select>
            </div>
            <div class="field">
              <label part="label" for="create-language">${this.t('adminGroups.fields.language')}</label>
              <select part="input" id="create-language" name="language" @change=${(e: Event) => update({ language: (e.target as HTMLSelectElement).value })}>
                ${GROUP_LANGUAGES.map((l) => html`<option value=${l} ?selected=${draft.language === l}>${this.languageName(l)}</option>`)}
              </select>
            </div>`
        : nothing}
      <div class="field">
        <label part="label" for=${`${form}-description`}>${this.t('adminGroups.fields.description')}</label>
        <textarea part="input" id=${`${form}-description`} name="description" rows="2" .value=${draft.description}
          aria-invalid=${this.forms.invalid(form, 'description')} aria-describedby=${this.forms.describedBy(form, 'description')}
          @input=${(e: Event) => update({ description: (e.target as HTMLTextAreaElement).value })}></textarea>
        ${this.fieldError(form, 'description')}
      </div>
      ${this.input(form, 'timeZone', draft.timeZone, (timeZone) => update({ timeZone }), { hint: this.t('adminGroups.hints.timeZone'), dir: 'ltr' })}
      ${this.renderSchedule(form, draft, update)}
      ${this.input(form, 'capacity', draft.capacity, (capacity) => update({ capacity }), { type: 'number', hint: this.t('adminGroups.hints.capacity'), min: 2, max: 100 })}
      ${form === 'create'
        ? html`<div class="field">
            <label part="label" for="create-guidelines">${this.t('adminGroups.fields.guidelines')}</label>
            <p class="hint" id="create-guidelines-hint">${this.t('adminGroups.hints.firstGuidelines')}</p>
            <textarea part="input" id="create-guidelines" name="guidelines" rows="4" .value=${draft.guidelines}
              aria-invalid=${this.forms.invalid(form, 'guidelines')} aria-describedby=${this.forms.describedBy(form, 'guidelines', 'create-guidelines-hint')}
              @input=${(e: Event) => update({ guidelines: (e.target as HTMLTextAreaElement).value })}></textarea>
            ${this.fieldError(form, 'guidelines')}
          </div>`
        : nothing}
      ${this.otherErrors(form)}
      <div class="actions">
        <button part="button save-button" class="primary" type="submit" ?disabled=${busy}>
          ${busy ? this.t('adminGroups.saving') : this.t(form === 'create' ? 'adminGroups.create' : 'adminGroups.saveDetails')}
        </button>
        ${form === 'create' ? html`<button part="button" type="button" @click=${() => this.cancelCreate()}>${this.t('adminGroups.cancel')}</button>` : nothing}
      </div>
    </form>`;
  }

  private cancelCreate(): void {
    this.creating = null;
    this.forms.clear('create');
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#new-group')?.focus());
  }

  private languageName(code: string): string {
    try {
      return new Intl.DisplayNames([this.config.locale], { type: 'language' }).of(code) ?? code;
    } catch {
      return code;
    }
  }

  private shownAs(member: GroupMemberRecord): string {
    if (member.displayMode === 'name' && member.name) return member.name;
    return member.alias ?? this.t(member.role === 'moderator' ? 'adminGroups.members.moderatorLabel' : 'adminGroups.members.noAlias');
  }

  private accepted(member: GroupMemberRecord, current: number): string {
    if (member.role === 'moderator') return this.t('adminGroups.members.moderatorsNeedNot');
    if (member.guidelinesAcceptedVersion === current) return this.t('adminGroups.members.acceptedCurrent', { version: current });
    if (member.guidelinesAcceptedVersion === null) return this.t('adminGroups.members.notAccepted', { version: current });
    return this.t('adminGroups.members.mustAcceptAgain', { accepted: member.guidelinesAcceptedVersion, version: current });
  }

  private renderGuidelines(group: GroupSummary) {
    const busy = this.forms.busy === 'guidelines';
    const languages = Object.keys(this.guidelines);
    return html`<section class="part" part="section" aria-labelledby="guidelines-title">
      <h5 id="guidelines-title">${this.t('adminGroups.guidelines.title')}</h5>
      <p class="meta" id="guidelines-version">${this.t('adminGroups.guidelines.current', { version: group.guidelinesVersion })}</p>
      <p class="hint" id="guidelines-hint">${this.t('adminGroups.guidelines.hint')}</p>
      <form novalidate data-form="guidelines" aria-busy=${busy ? 'true' : 'false'} @submit=${(e: Event) => void this.publishGuidelines(e)}>
        ${languages.map(
          (l) => html`<div class="field wide">
            <label part="label" for=${`guidelines-${l}`}>${this.t('adminGroups.guidelines.inLanguage', { language: this.languageName(l) })}</label>
            <textarea part="input" id=${`guidelines-${l}`} name=${`guidelines.${l}`} rows="5" lang=${l} dir="auto" .value=${this.guidelines[l] ?? ''}
              aria-invalid=${this.forms.invalid('guidelines', 'guidelines')} aria-describedby=${this.forms.describedBy('guidelines', 'guidelines', 'guidelines-hint')}
              @input=${(e: Event) => (this.guidelines = { ...this.guidelines, [l]: (e.target as HTMLTextAreaElement).value })}></textarea>
          </div>`,
        )}
        ${this.fieldError('guidelines', 'guidelines')} ${this.otherErrors('guidelines')}
        <div class="actions">
          <button part="button save-button" class="primary" type="submit" ?disabled=${busy}>${busy ? this.t('adminGroups.saving') : this.t('adminGroups.guidelines.publish')}</button>
        </div>
      </form>
    </section>`;
  }

  private renderMembers(group: GroupSummary) {
    const busy = this.forms.busy === 'member' || this.forms.busy === 'members';
    const members = this.members;
    return html`<section class="part" part="section" aria-labelledby="members-title">
      <h5 id="members-title">${this.t('adminGroups.members.title')}</h5>
      ${members === null
        ? html`<p class="meta">${this.t('adminGroups.loading')}</p>`
        : members.length === 0
          ? html`<p class="notice" part="notice">${this.t('adminGroups.members.empty')}</p>`
          : html`<div class="table-wrap" part="members" role="region" aria-labelledby="members-caption" tabindex="0">
              <table>
                <caption id="members-caption">${this.t('adminGroups.members.caption', { name: group.name })}</caption>
                <thead>
                  <tr>
                    <th scope="col">${this.t('adminGroups.members.person')}</th>
                    <th scope="col">${this.t('adminGroups.members.shownAs')}</th>
                    <th scope="col">${this.t('adminGroups.members.role')}</th>
                    <th scope="col">${this.t('adminGroups.members.guidelines')}</th>
                    <th scope="col">${this.t('adminGroups.members.actions')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${members.map((m) => this.renderMember(m, group, busy))}
                </tbody>
              </table>
            </div>`}
      <form novalidate data-form="member" aria-busy=${busy ? 'true' : 'false'} aria-labelledby="add-member-title" @submit=${(e: Event) => void this.addMember(e)}>
        <h6 id="add-member-title">${this.t('adminGroups.members.addTitle')}</h6>
        ${this.input('member', 'userId', this.newMember.userId, (userId) => (this.newMember = { ...this.newMember, userId }), { hint: this.t('adminGroups.hints.userId'), dir: 'ltr' })}
        <div class="field">
          <label part="label" for="member-role">${this.t('adminGroups.fields.role')}</label>
          <select part="input" id="member-role" name="role" @change=${(e: Event) => (this.newMember = { ...this.newMember, role: (e.target as HTMLSelectElement).value as 'member' | 'moderator' })}>
            <option value="member" ?selected=${this.newMember.role === 'member'}>${this.t('adminGroups.roles.member')}</option>
            <option value="moderator" ?selected=${this.newMember.role === 'moderator'}>${this.t('adminGroups.roles.moderator')}</option>
          </select>
        </div>
        ${this.otherErrors('member')}
        <div class="actions">
          <button part="button save-button" class="primary" type="submit" ?disabled=${busy}>${this.forms.busy === 'member' ? this.t('adminGroups.saving') : this.t('adminGroups.members.add')}</button>
        </div>
      </form>
    </section>`;
  }

  private renderMember(m: GroupMemberRecord, group: GroupSummary, busy: boolean) {
    const other = m.role === 'moderator' ? 'member' : 'moderator';
    return html`<tr>
      <td><bdi>${m.userId}</bdi>${m.name ? html`<br /><span class="meta"><bdi>${m.name}</bdi></span>` : nothing}</td>
      <td><bdi>${this.shownAs(m)}</bdi></td>
      <td>${this.t(`adminGroups.roles.${m.role}`)}</td>
      <td>${this.accepted(m, group.guidelinesVersion)}</td>
      <td>
        <div class="actions">
          ${this.confirmRemove === m.userId
            ? html`<button part="button" class="danger" type="button" id="confirm-remove" ?disabled=${busy} aria-label=${this.t('adminGroups.members.confirmRemoveLabel', { person: m.userId })}
                  @click=${() => void this.removePerson(m)}>${this.t('adminGroups.members.confirmRemove')}</button>
                <button part="button" type="button" @click=${() => (this.confirmRemove = null)}>${this.t('adminGroups.cancel')}</button>`
            : html`<button part="button" type="button" data-role-for=${m.userId} ?disabled=${busy} aria-label=${this.t(`adminGroups.members.make_${other}Label`, { person: m.userId })}
                  @click=${() => void this.setRole(m, other)}>${this.t(`adminGroups.members.make_${other}`)}</button>
                <button part="button" type="button" ?disabled=${busy} aria-label=${this.t('adminGroups.members.removeLabel', { person: m.userId })}
                  @click=${() => void this.askRemove(m.userId)}>${this.t('adminGroups.members.remove')}</button>`}
        </div>
      </td>
    </tr>`;
  }

  private renderPanel(group: GroupSummary) {
    return html`<div class="panel" id="group-panel" role="region" aria-labelledby="group-panel-title">
      <h4 id="group-panel-title" tabindex="-1">${this.t('adminGroups.manageTitle', { name: group.name })}</h4>
      <section class="part" part="section" aria-labelledby="edit-title">
        <h5 id="edit-title">${this.t('adminGroups.detailsTitle')}</h5>
        ${this.editing ? this.renderDetails('edit', this.editing) : nothing}
      </section>
      ${this.renderGuidelines(group)} ${this.renderMembers(group)}
    </div>`;
  }

  private renderList(groups: GroupSummary[]) {
    if (groups.length === 0) return html`<p class="notice" part="notice">${this.t('adminGroups.empty')}</p>`;
    return html`<ul class="groups" part="group-list" aria-labelledby="groups-title">
      ${groups.map(
        (g) => html`<li>
          <div>
            <strong><bdi>${g.name}</bdi></strong>
            <span class="meta">${g.schedule.map((s) => this.formatSession(s)).join('; ')} · <bdi dir="ltr">${g.timeZone}</bdi></span>
            <span class="meta">${this.t('adminGroups.listMeta', { version: g.guidelinesVersion, capacity: g.capacity })}</span>
          </div>
          <button part="button" type="button" aria-expanded=${this.selected === g.id ? 'true' : 'false'} aria-controls=${this.selected === g.id ? 'group-panel' : nothing}
            aria-label=${this.t('adminGroups.manageLabel', { name: g.name })} @click=${() => void this.manage(g.id)}>${this.t('adminGroups.manage')}</button>
        </li>`,
      )}
    </ul>`;
  }

  private renderVideo() {
    const video = this.video;
    if (!video) return nothing;
    const busy = this.forms.busy === 'video';
    const d = this.videoDraft;
    const set = (patch: Partial<VideoDraft>) => (this.videoDraft = { ...this.videoDraft, ...patch });
    return html`<section class="part" part="section" data-section="video" aria-labelledby="video-title">
      <h4 id="video-title">${this.t('adminGroups.video.title')}</h4>
      <p class="meta" id="video-mode">${this.t(`adminGroups.video.mode_${video.mode}`, { domain: video.domain })}</p>
      ${video.provider === 'jaas'
        ? html`<p class="hint">${this.t('adminGroups.video.otherProvider', { provider: video.provider })}</p>`
        : this.renderVideoForm(video, busy, d, set)}
    </section>`;
  }

  private renderVideoForm(video: GroupVideoSettings, busy: boolean, d: VideoDraft, set: (patch: Partial<VideoDraft>) => void) {
    return html`
      <form novalidate data-form="video" aria-busy=${busy ? 'true' : 'false'} aria-labelledby="video-title" @submit=${(e: Event) => void this.saveVideo(e)}>
        ${this.input('video', 'domain', d.domain, (domain) => set({ domain }), { hint: this.t('adminGroups.hints.domain'), dir: 'ltr' })}
        ${this.input('video', 'appId', d.appId, (appId) => set({ appId }), { dir: 'ltr' })}
        ${this.input('video', 'appSecret', d.appSecret, (appSecret) => set({ appSecret }), {
          type: 'password',
          dir: 'ltr',
          autocomplete: 'new-password',
          hint: this.t(video.secretSet ? 'adminGroups.hints.secretSet' : 'adminGroups.hints.secretNotSet'),
        })}
        ${this.input('video', 'tenant', d.tenant, (tenant) => set({ tenant }), { hint: this.t('adminGroups.hints.tenant'), dir: 'ltr' })}
        ${this.otherErrors('video')}
        <div class="actions">
          <button part="button save-button" class="primary" type="submit" ?disabled=${busy}>${busy ? this.t('adminGroups.saving') : this.t('adminGroups.video.save')}</button>
        </div>
      </form>
    `;
  }

  private renderBody() {
    if (!this.config.token) return html`<p class="notice" part="notice">${this.t('common.notConfigured')}</p>`;
    if (this.failure && !this.groups) {
      return renderFailure(this.failure, { t: this.t, messages: { forbidden: 'adminGroups.forbidden', offline: 'adminGroups.offline', default: 'adminGroups.loadFailed' }, retry: () => void this.loader.load() });
    }
    if (!this.groups) return html`<p class="meta">${this.t('adminGroups.loading')}</p>`;
    const group = this.group;
    return html`${this.failure ? renderFailure(this.failure, { t: this.t, messages: { default: this.failureNotice, offline: 'adminGroups.offline' } }) : nothing}
      ${this.renderList(this.groups)}
      ${this.creating
        ? html`<section class="part" part="section" aria-labelledby="create-title">
            <h4 id="create-title">${this.t('adminGroups.createTitle')}</h4>
            ${this.renderDetails('create', this.creating)}
          </section>`
        : html`<div class="actions"><button part="button" type="button" id="new-group" @click=${() => this.startCreate()}>${this.t('adminGroups.newGroup')}</button></div>`}
      ${group ? this.renderPanel(group) : nothing} ${this.renderVideo()}`;
  }

  protected override render() {
    return html`<section class=${`${this.themeClass} part`} part="base section" data-section="groups" lang=${this.localize.language} dir=${this.localize.dir === 'rtl' ? 'rtl' : nothing} aria-labelledby="groups-title">
      <h3 id="groups-title">${this.t('adminGroups.title')}</h3>
      ${this.renderBody()}
      <div class="visually-hidden" role="status" aria-live="polite" part="status">${this.announcement}</div>
    </section>`;
  }
}

defineElement('care-admin-groups', CareAdminGroups);

declare global {
  interface HTMLElementTagNameMap {
    'care-admin-groups': CareAdminGroups;
  }
}
