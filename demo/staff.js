// Stands in for the staff portal's own code: it gets a clinician token from its backend and hands it to the widgets.
import { followPortalSettings, signIn } from './portal-settings.js';

const provider = document.getElementById('care');
const signInClinician = () => signIn(provider, 'sub=clinician-1&role=clinician&name=Dr.%20Rivera');

document.addEventListener('care-alerts-new', (event) => {
  console.info('care-alerts-new', event.detail.alerts.length);
});

followPortalSettings(provider);
await signInClinician();
// Demo tokens last 8 hours; a real portal refreshes its token before it expires.
setInterval(signInClinician, 60 * 60 * 1000);
