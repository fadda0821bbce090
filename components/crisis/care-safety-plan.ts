import { defineElement } from '../core/define.js';
import { CareSafetyPlan } from './safety-plan.js';

export { CareSafetyPlan };
defineElement('care-safety-plan', CareSafetyPlan);

declare global {
  interface HTMLElementTagNameMap {
    'care-safety-plan': CareSafetyPlan;
  }
}
