import { defineElement } from '../core/define.js';
import { CareCrisisButton } from './crisis-button.js';

export { CareCrisisButton };
defineElement('care-crisis-button', CareCrisisButton);

declare global {
  interface HTMLElementTagNameMap {
    'care-crisis-button': CareCrisisButton;
  }
}
