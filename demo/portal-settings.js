// What every demo page's own code does the same way: the language and theme menus follow through to
// <care-provider>, and a token from the demo backend (standing in for the portal's) goes to the widgets.

/** Wires the page's #locale and #theme menus to the provider and applies the chosen language now. */
export function followPortalSettings(provider) {
  const locale = document.getElementById('locale');
  const theme = document.getElementById('theme');
  locale.addEventListener('change', () => {
    provider.locale = locale.value;
    document.documentElement.lang = locale.value;
  });
  theme.addEventListener('change', () => {
    provider.theme = theme.value;
  });
  provider.locale = locale.value;
}

/** Asks the demo backend for a token (`query`: sub, role, name) and hands it to the widgets. */
export async function signIn(provider, query) {
  const response = await fetch(`/demo/token?${query}`);
  const { token } = await response.json();
  provider.token = token;
}
