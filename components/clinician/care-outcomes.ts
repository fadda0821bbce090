import { defineElement } from '../core/define.js';
import { CareOutcomes } from './outcomes.js';

export { CareOutcomes };
defineElement('care-outcomes', CareOutcomes);

declare global {
  interface HTMLElementTagNameMap {
    'care-outcomes': CareOutcomes;
  }
}
