// Stands in for the staff portal's own code: it gets a clinician token from its backend and hands it to the widgets.
const provider = document.getElementById('care');
const locale = document.getElementById('locale');
const theme = document.getElementById('theme');

async function signIn() {
  const response = await fetch('/demo/token?sub=clinician-1&role=clinician&name=Dr.%20Rivera');
  const { token } = await response.json();
  provider.token = token;
}

locale.addEventListener('change', () => {
  provider.locale = locale.value;
  document.documentElement.lang = locale.value;
});
theme.addEventListener('change', () => {
  provider.theme = theme.value;
});
document.addEventListener('care-alerts-new', (event) => {
  console.info('care-alerts-new', event.detail.alerts.length);
});

provider.locale = locale.value;
await signIn();
// Demo tokens last 8 hours; a real portal refreshes its token before it expires.
setInterval(signIn, 60 * 60 * 1000);
