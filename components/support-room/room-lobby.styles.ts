import { css } from 'lit';

/** The lobby, the people in the room and the removal notice (room-lobby.ts); eager, as the element's styles are static. */
export const roomLobbyStyles = css`
  .lobby,
  .people {
    margin-block-start: 0.75rem;
  }
  .lobby h4,
  .people h4 {
    margin: 0 0 0.25rem;
    font-size: 1rem;
  }
  .knockers,
  .people ul {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .knockers li,
  .people li {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 0.5rem;
    padding-block: 0.375rem;
    border-block-end: 1px solid var(--_border, currentColor);
  }
  .confirm-remove {
    margin-block-start: 0.5rem;
    display: grid;
    gap: 0.375rem;
  }
`;
