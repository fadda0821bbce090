// Stands in for the clinic portal's own code: it gets a token from its backend and hands it to the widgets.
import { followPortalSettings, signIn } from './portal-settings.js';

const provider = document.getElementById('care');
const room = provider.querySelector('care-support-room');
const person = document.getElementById('person');
const group = document.getElementById('group');

function signInPerson() {
  const [sub, role] = person.value.split('|');
  return signIn(provider, `sub=${encodeURIComponent(sub)}&role=${role}`);
}

person.addEventListener('change', signInPerson);
group.addEventListener('change', () => {
  room.group = group.value;
});
for (const name of ['care-room-joined', 'care-room-left', 'care-participant-joined', 'care-participant-left', 'care-room-ready-to-close', 'care-feedback', 'care-error']) {
  document.addEventListener(name, (event) => console.info(name, event.detail));
}

followPortalSettings(provider);
await signInPerson();
