import { expect } from '@open-wc/testing';
import { setStringOverrides, translatorFor } from '../../components/core/i18n.js';
// The modules that register the moved namespaces (each loads with its own chunk in a built page).
import '../../components/support-room/group-calendar.js';
import '../../components/support-room/session-feedback.js';
import '../../components/support-room/room-lobby.js';
import '../../components/support-room/danger-flag-dialog.js';

describe("a clinic's wording for keys that moved to a namespace of their own", () => {
  afterEach(() => setStringOverrides(null));

  it('still applies under the new key, in the language it was written for', () => {
    const refused = setStringOverrides({
      en: {
        'room.calendar.title': 'Put it in your diary',
        'room.feedback.title': 'How was the session?',
        'room.lobby.title': 'Waiting room',
        'room.remove.title': 'Ask someone to leave',
        'dangerFlag.confirm': 'Yes, tell them now',
      },
      es: { 'room.calendar.title': 'Anótelo' },
    });
    expect(refused).to.deep.equal([]);
    const en = translatorFor('en');
    expect(en('groupCalendar.title')).to.equal('Put it in your diary');
    expect(en('sessionFeedback.title')).to.equal('How was the session?');
    expect(en('roomLobby.lobby.title')).to.equal('Waiting room');
    expect(en('roomLobby.remove.title')).to.equal('Ask someone to leave');
    expect(en('dangerFlagDialog.confirm')).to.equal('Yes, tell them now');
    // A key that only looks alike is not moved.
    expect(en('room.removed.title')).to.not.equal('Ask someone to leave');
  });

  it('the shipped text comes back when the wording is withdrawn', () => {
    setStringOverrides({ en: { 'room.calendar.title': 'Put it in your diary' } });
    setStringOverrides(null);
    expect(translatorFor('en')('groupCalendar.title')).to.not.equal('Put it in your diary');
  });
});
