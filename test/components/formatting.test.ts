import { expect } from '@open-wc/testing';
import { translatorFor, loadLanguage } from '../../components/core/i18n.js';
import { formatOnCallHours } from '../../components/crisis/on-call-text.js';
import { formatCountdown } from '../../components/support-room/countdown.js';
// The widgets whose English strings these use (each widget brings its own).
import '../../components/clinician/care-alerts.js';
import '../../components/support-room/index.js';

/** The text as seen: without the invisible bidi isolates around inserted values (see bidi.test.ts). */
const visible = (text: string) => text.replace(/[\u2066-\u2069]/g, '');

describe('lists and numbers in the reader’s language', () => {
  before(() => Promise.all([loadLanguage('es'), loadLanguage('ar')]));

  it('joins countdown units the way each language does', () => {
    const ms = (29 * 60 + 15) * 1000;
    expect(visible(formatCountdown(ms, translatorFor('en'), true, 'en'))).to.equal('29 minutes, 15 seconds');
    expect(visible(formatCountdown(ms, translatorFor('es'), true, 'es'))).to.match(/^29 minutos,? y 15 segundos$/);
    expect(visible(formatCountdown(ms, translatorFor('es'), false, 'es'))).to.equal('30 minutos');
    expect(visible(formatCountdown((2 * 24 + 3) * 3_600_000, translatorFor('en'), false, 'en'))).to.equal('2 days, 3 hours');
  });

  it('lists on-call days with the language’s own conjunction', () => {
    const onCall = { windows: [{ days: [1, 2, 3, 4, 5, 7], start: '09:00', end: '17:00' }], timeZone: 'UTC' };
    expect(formatOnCallHours(onCall, 'en')).to.match(/^Mon–Fri and Sun 09:00–17:00 \(/);
    expect(formatOnCallHours(onCall, 'es')).to.match(/^lun–vie y dom 09:00–17:00 \(/);
  });

  it('formats check-in figures in an alert with the language’s digits', () => {
    expect(visible(translatorFor('en')('alerts.daily', { mood: 7, craving: 2 }))).to.equal('mood 7/10, craving 2/10');
    expect(visible(translatorFor('ar')('alerts.daily', { mood: 7, craving: 2 }))).to.include(new Intl.NumberFormat('ar').format(7));
  });

  it('does not double the full stop after a name that ends in one ("Sam T.")', () => {
    expect(visible(translatorFor('en')('alerts.newUrgent', { count: 1, name: 'Sam T.' }))).to.equal('New urgent alert: Sam T.');
    expect(visible(translatorFor('en')('room.alias.appearAs', { name: 'Dr. J.' }))).to.equal('You appear as Dr. J.');
    expect(visible(translatorFor('en')('alerts.newUrgent', { count: 1, name: 'Sam T' }))).to.equal('New urgent alert: Sam T.');
  });

  it('calls a date order "oldest first", not "lowest first", in the roster', async () => {
    await import('../../components/clinician/care-roster.js');
    expect(translatorFor('en')('roster.direction.date.asc')).to.equal('oldest first');
    expect(translatorFor('en')('roster.direction.date.desc')).to.equal('newest first');
  });
});
