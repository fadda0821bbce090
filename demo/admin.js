// Stands in for the clinic's administration screen: it gets an administrator token from its backend and hands it to the widget.
import { followPortalSettings, signIn } from './portal-settings.js';

const provider = document.getElementById('care');
const signInAdmin = () => signIn(provider, 'sub=admin-1&role=admin&name=Morgan%20Lee');

document.addEventListener('care-admin-saved', (event) => {
  console.info('care-admin-saved', event.detail.section);
});

followPortalSettings(provider);
await signInAdmin();
// Demo tokens last 8 hours; a real portal refreshes its token before it expires.
setInterval(signInAdmin, 60 * 60 * 1000);
