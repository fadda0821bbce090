import { defineElement } from '../core/define.js';
import { CareProgress } from './progress.js';

export { CareProgress };
defineElement('care-progress', CareProgress);

declare global {
  interface HTMLElementTagNameMap {
    'care-progress': CareProgress;
  }
}
