// Signs each clinic column in as a demo person and switches the built-in theme for both.
const theme = document.getElementById('theme');
const providers = [...document.querySelectorAll('care-provider')];

async function signIn(provider) {
  const response = await fetch(`/demo/token?sub=${encodeURIComponent(provider.dataset.person)}&role=client`);
  const { token } = await response.json();
  provider.token = token;
  // A real portal hands over a callback that asks its backend for a fresh token.
  provider.tokenProvider = async () => (await (await fetch(`/demo/token?sub=${encodeURIComponent(provider.dataset.person)}&role=client`)).json()).token;
}

function applyTheme() {
  for (const provider of providers) provider.theme = theme.value;
  document.body.dataset.theme = theme.value;
}

theme.addEventListener('change', applyTheme);
applyTheme();
await Promise.all(providers.map(signIn));
