import { nothing } from 'lit';
import type { CareControllerHost } from '../core/care-element.js';
import { failureOf, type Failure, type FieldError } from '../core/failure.js';

/** A form's refused fields: each with the server's words, or null when the form words that field itself. */
export type Refused = Map<string, string | null>;

/**
 * How one element words and shows refusals. `S` names its forms; `B` what can keep it busy (a form's
 * own call, or another button of a form, such as the rules preview).
 */
export interface SectionFormsOptions<S extends string, B extends string> {
  /** The form whose fields a refusal of this call lands next to. */
  sectionOf: (busy: B) => S;
  /** The form's element: its first refused control takes focus. */
  selector: (section: S) => string;
  /** Id of the message next to a refused field (the field's aria-describedby names it). */
  errorId: (section: S, field: string) => string;
  /** A field's name in the "Not saved" announcement. */
  label: (field: string) => string;
  /** Translation key of that announcement, given `{ count, fields }`. */
  refusedKey: string;
  /** Translation key announced when a call failed for any other reason. */
  saveFailedKey: string;
  /** Fires the element's own refused event. */
  refused: (section: S, fields: string[]) => void;
  /** One field error of a 400 → the field it goes next to, and the server's words when the form does not word that field. */
  field: (error: FieldError) => [string, string | null];
  /** A failure that still is a refusal although it names no field (someone else changed it first): what to show, or null. */
  refusal?: (error: unknown, failure: Failure, section: S) => Promise<Refused | null>;
  /** Shows a failure in the element's notice; null once a call succeeded, so an earlier notice goes. */
  showFailure: (failure: Failure | null) => void;
}

/**
 * The forms of one admin element: which call keeps it busy, each form's refused fields, refusing
 * (mark, announce, fire the element's refused event, focus the first refused control) and running
 * one call (a 400 naming fields lands next to them; anything else in the element's notice, announced
 * and fired as `care-error`). It has no part in the host's lifecycle: it asks the host to update
 * whenever what it holds changes.
 */
export class SectionForms<S extends string, B extends string> {
  private current: B | null = null;
  private errors: Partial<Record<S, Refused>> = {};

  /** `host` is the element (a CareElement): its render root, and its t, announce and emit through `controllerApi`. */
  constructor(
    private readonly host: CareControllerHost,
    private readonly options: SectionFormsOptions<S, B>,
  ) {}

  /** The call under way, if any. */
  get busy(): B | null {
    return this.current;
  }

  errorsOf(section: S): ReadonlyMap<string, string | null> {
    return this.errors[section] ?? new Map<string, string | null>();
  }

  has(section: S, field: string): boolean {
    return this.errors[section]?.has(field) ?? false;
  }

  invalid(section: S, field: string): 'true' | 'false' {
    return this.has(section, field) ? 'true' : 'false';
  }

  /** The field's hint and, while it is refused, its message. */
  describedBy(section: S, field: string, hint?: string): string | typeof nothing {
    const ids = [hint, this.has(section, field) ? this.options.errorId(section, field) : undefined].filter(Boolean);
    return ids.length ? ids.join(' ') : nothing;
  }

  /** Forgets the refusals of one form, or of all. */
  clear(section?: S): void {
    this.errors = section === undefined ? {} : { ...this.errors, [section]: new Map() };
    this.host.requestUpdate();
  }

  /** Shows refused fields next to their controls, says so, fires the refused event and focuses the first. */
  async refuse(section: S, fields: Refused | readonly string[]): Promise<void> {
    const refused = fields instanceof Map ? fields : new Map(fields.map((f) => [f, null]));
    this.errors = { ...this.errors, [section]: refused };
    this.host.requestUpdate();
    const names = [...refused.keys()];
    const { t, announce } = this.host.controllerApi;
    announce(t(this.options.refusedKey, { count: names.length, fields: names.map((f) => this.options.label(f)).join(', ') }));
    this.options.refused(section, names);
    await this.host.updateComplete;
    const first = this.host.renderRoot.querySelector<HTMLElement>(`${this.options.selector(section)} [aria-invalid="true"]`);
    // A refused group of controls (languages, a schedule, a window's days) is not focusable: its first control is.
    (first instanceof HTMLFieldSetElement ? first.querySelector<HTMLElement>('input, select, textarea') : first)?.focus();
  }

  /** A failure that is no refusal: in the element's notice, announced, and fired as `care-error`. */
  fail(error: unknown): void {
    const failure = failureOf(error);
    this.options.showFailure(failure);
    const { t, announce, emit } = this.host.controllerApi;
    announce(t(this.options.saveFailedKey));
    emit('care-error', { kind: failure.kind, message: failure.message });
  }

  /** Marks `task` busy while `work` runs (a load that is not a form's call). */
  async busyWhile<T>(task: B, work: () => Promise<T>): Promise<T> {
    this.setBusy(task);
    try {
      return await work();
    } finally {
      this.setBusy(null);
    }
  }

  /** One call, unless another is under way (false then, and when it failed). */
  async run<T>(task: B, call: () => Promise<T>, done: (result: T) => Promise<void> | void): Promise<boolean> {
    if (this.current) return false;
    const section = this.options.sectionOf(task);
    this.setBusy(task);
    this.clear(section);
    try {
      const result = await call();
      this.options.showFailure(null);
      await done(result);
      return true;
    } catch (error) {
      const failure = failureOf(error);
      const fields = failure.kind === 'invalid' && failure.fieldErrors.length > 0 ? new Map(failure.fieldErrors.map(this.options.field)) : ((await this.options.refusal?.(error, failure, section)) ?? null);
      if (fields) await this.refuse(section, fields);
      else this.fail(error);
      return false;
    } finally {
      this.setBusy(null);
    }
  }

  private setBusy(task: B | null): void {
    this.current = task;
    this.host.requestUpdate();
  }
}
