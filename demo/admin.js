// Stands in for the clinic's administration screen: it gets an administrator token from its backend and hands it to the widget.
const provider = document.getElementById('care');
const locale = document.getElementById('locale');
const theme = document.getElementById('theme');

async function signIn() {
  const response = await fetch('/demo/token?sub=admin-1&role=admin&name=Morgan%20Lee');
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
document.addEventListener('care-admin-saved', (event) => {
  console.info('care-admin-saved', event.detail.section);
});

provider.locale = locale.value;
await signIn();
// Demo tokens last 8 hours; a real portal refreshes its token before it expires.
setInterval(signIn, 60 * 60 * 1000);
