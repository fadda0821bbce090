import type { ReactiveControllerHost } from 'lit';

export type DeviceState = 'unknown' | 'checking' | 'ready' | 'denied' | 'missing' | 'busy' | 'unsupported' | 'error';

/**
 * The camera and microphone check before a session: asks the browser for them once (and stops the
 * tracks at once), and says in one word what came of it, for the host to explain. It has no
 * lifecycle of its own: it only asks the host to render again when its state changes.
 */
export class DeviceCheckController {
  state: DeviceState = 'unknown';

  constructor(private readonly host: ReactiveControllerHost) {}

  /** Checks the microphone, and the camera unless `audioOnly`. Resolves with the outcome. */
  async check({ audioOnly }: { audioOnly: boolean }): Promise<DeviceState> {
    const media = navigator.mediaDevices;
    if (!media?.getUserMedia) return this.set('unsupported');
    this.set('checking');
    try {
      const stream = await media.getUserMedia({ audio: true, video: !audioOnly });
      for (const track of stream.getTracks()) track.stop();
      return this.set('ready');
    } catch (error) {
      const name = (error as { name?: string } | null)?.name ?? '';
      return this.set(
        name === 'NotAllowedError' || name === 'SecurityError'
          ? 'denied'
          : name === 'NotFoundError' || name === 'OverconstrainedError'
            ? 'missing'
            : name === 'NotReadableError' || name === 'AbortError'
              ? 'busy'
              : 'error',
      );
    }
  }

  private set(state: DeviceState): DeviceState {
    this.state = state;
    this.host.requestUpdate();
    return state;
  }
}
