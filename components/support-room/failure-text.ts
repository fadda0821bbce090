import type { TFunction } from 'i18next';
import type { Failure } from '../core/api-client.js';

/** What the room and its board say when a call fails, in the person's words. */
export function roomFailureText(t: TFunction, failure: Failure): string {
  switch (failure.kind) {
    case 'offline':
      return t('room.offline');
    case 'signed-out':
      return t('common.signedOut');
    case 'forbidden':
      return t('room.problem.forbidden');
    case 'not-found':
      return t('room.notFound');
    case 'rate-limited':
      return t('room.slowDown');
    default:
      return t('room.problem.other');
  }
}
