// Stands in for the clinic portal's own code: it gets a token from its backend and hands it to the widgets.
const provider = document.getElementById('care');
const room = provider.querySelector('care-support-room');
const person = document.getElementById('person');
const group = document.getElementById('group');
const locale = document.getElementById('locale');
const theme = document.getElementById('theme');

async function signIn() {
  const [sub, role] = person.value.split('|');
  const response = await fetch(`/demo/token?sub=${encodeURIComponent(sub)}&role=${role}`);
  const { token } = await response.json();
  provider.token = token;
}

person.addEventListener('change', signIn);
group.addEventListener('change', () => {
  room.group = group.value;
});
locale.addEventListener('change', () => {
  provider.locale = locale.value;
  document.documentElement.lang = locale.value;
});
theme.addEventListener('change', () => {
  provider.theme = theme.value;
});
for (const name of ['care-room-joined', 'care-room-left', 'care-participant-joined', 'care-participant-left', 'care-room-ready-to-close', 'care-feedback', 'care-error']) {
  document.addEventListener(name, (event) => console.info(name, event.detail));
}

provider.locale = locale.value;
await signIn();
