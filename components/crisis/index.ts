import { defineElement } from '../core/define.js';
import { CareCrisisButton } from './crisis-button.js';
import { CareSafetyPlan } from './safety-plan.js';

export { CareCrisisButton, CareSafetyPlan };
defineElement('care-crisis-button', CareCrisisButton);
defineElement('care-safety-plan', CareSafetyPlan);

declare global {
  interface HTMLElementTagNameMap {
    'care-crisis-button': CareCrisisButton;
    'care-safety-plan': CareSafetyPlan;
  }
}
