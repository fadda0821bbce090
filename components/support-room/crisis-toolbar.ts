/** Id of the button `<care-support-room>` adds to Jitsi's toolbar (configOverwrite.customToolbarButtons); a click opens crisis help. */
export const CRISIS_TOOLBAR_BUTTON = 'care-crisis-help';

/** A small life-ring icon for Jitsi's toolbar (a data URL: nothing is fetched). */
const CRISIS_ICON =
  'data:image/svg+xml;utf8,' +
  encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" stroke="white" stroke-width="2"><circle cx="12" cy="12" r="9"/><circle cx="12" cy="12" r="4"/><path d="M5.6 5.6l3.6 3.6M14.8 14.8l3.6 3.6M18.4 5.6l-3.6 3.6M9.2 14.8l-3.6 3.6"/></svg>');

/**
 * What Jitsi's IFrame API offers for crisis help inside the video: no way to forward key presses
 * (an iframe keeps its keys), but a custom toolbar button whose clicks arrive as `toolbarButtonClicked`.
 */
export function crisisToolbarConfig(toolbarButtons: unknown, label: string): Record<string, unknown> {
  const buttons = Array.isArray(toolbarButtons) ? (toolbarButtons as string[]) : [];
  return {
    customToolbarButtons: [{ id: CRISIS_TOOLBAR_BUTTON, icon: CRISIS_ICON, text: label }],
    toolbarButtons: [...buttons, CRISIS_TOOLBAR_BUTTON],
  };
}
