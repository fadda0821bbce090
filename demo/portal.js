// Stands in for the clinic portal's own code: it gets a token from its backend and hands it to the widgets.
import { followPortalSettings, signIn } from './portal-settings.js';

const provider = document.getElementById('care');
const person = document.getElementById('person');
const template = document.getElementById('template');
const checkIn = provider.querySelector('care-check-in');

const signInPerson = () => signIn(provider, `sub=${encodeURIComponent(person.value)}&role=client`);

person.addEventListener('change', signInPerson);
template.addEventListener('change', () => {
  checkIn.template = template.value;
});
document.addEventListener('care-risk', (event) => {
  console.info('care-risk', event.detail.level, event.detail.reasons);
});

followPortalSettings(provider);
await signInPerson();
