// Stands in for the clinic portal's own code: it gets a token from its backend and hands it to the widgets.
const provider = document.getElementById('care');
const person = document.getElementById('person');
const locale = document.getElementById('locale');
const theme = document.getElementById('theme');
const template = document.getElementById('template');
const checkIn = provider.querySelector('care-check-in');

async function signIn() {
  const response = await fetch(`/demo/token?sub=${encodeURIComponent(person.value)}&role=client`);
  const { token } = await response.json();
  provider.token = token;
}

person.addEventListener('change', signIn);
locale.addEventListener('change', () => {
  provider.locale = locale.value;
  document.documentElement.lang = locale.value;
});
theme.addEventListener('change', () => {
  provider.theme = theme.value;
});
template.addEventListener('change', () => {
  checkIn.template = template.value;
});
document.addEventListener('care-risk', (event) => {
  console.info('care-risk', event.detail.level, event.detail.reasons);
});

provider.locale = locale.value;
await signIn();
