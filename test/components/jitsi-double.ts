import { executeServerCommand } from '@web/test-runner-commands';
import type { JitsiMeetConstructor } from '../../components/support-room/index.js';
import { careServer, shadow, tokenFor, uid } from './helpers.js';

/**
 * The support-room tests' shared set-up with the external_api.js double
 * (test/fixtures/jitsi/external_api.js): the care server, the test Jitsi domains, an admin token,
 * and the double loaded once on the page from the `ok` domain.
 */

/** One room the double made: what the room asked for, the commands it was sent, and a way to play back Jitsi's events. */
export interface DoubleInstance {
  domain: string;
  options: { roomName: string; jwt?: string; configOverwrite: Record<string, unknown>; interfaceConfigOverwrite: Record<string, unknown> };
  commands: unknown[][];
  emit(event: string, payload: unknown): void;
}

/** The test Jitsi domains (jitsi-test-domain.mjs). */
export interface TestDomains {
  ok: string;
  missing: string;
  hang: string;
  slow: string;
}

/** What the double records on the page, and its constructor once loaded. */
export const jitsiPage = window as unknown as { __jitsiDouble: { instances: DoubleInstance[] }; JitsiMeetExternalAPI: JitsiMeetConstructor };

/** The room the double made last. */
export const lastRoom = (): DoubleInstance => jitsiPage.__jitsiDouble.instances[jitsiPage.__jitsiDouble.instances.length - 1]!;

/** The element's text with white space folded, for `includes` checks. */
export const roomText = (el: Element) => (shadow(el).textContent ?? '').replace(/\s+/g, ' ');

/** For a `before` hook: the care server, the test domains and an admin token, with the double loaded on the page. */
export async function withJitsiDouble(): Promise<{ endpoint: string; domains: TestDomains; adminToken: string }> {
  const { endpoint } = await careServer();
  const domains: TestDomains = await executeServerCommand('jitsi-test-domain');
  const adminToken = await tokenFor(uid('admin'), 'admin');
  await new Promise<void>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = `http://${domains.ok}/external_api.js`;
    script.onload = () => resolve();
    script.onerror = () => reject(new Error('the double did not load'));
    document.head.append(script);
  });
  return { endpoint, domains, adminToken };
}

/** An RSA private key in PEM, made in the browser (as an admin would make one for JaaS). */
export async function rsaPem(): Promise<string> {
  const pair = await crypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign', 'verify']);
  const der = new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey));
  const b64 = btoa(String.fromCharCode(...der)).replace(/(.{64})/g, '$1\n');
  return `-----BEGIN PRIVATE KEY-----\n${b64}\n-----END PRIVATE KEY-----\n`;
}
