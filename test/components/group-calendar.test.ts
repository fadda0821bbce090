import { expect, fixture, fixtureCleanup, html } from '@open-wc/testing';
import { waitUntil } from './wait-until.js';
import '../../components/index.js';
import type { CareSupportRoom } from '../../components/support-room/support-room.js';
import { careServer, createGroup, ready, shadow } from './helpers.js';

let endpoint: string;

async function room(token: string, groupId: string, locale = 'en-US') {
  return fixture<CareSupportRoom>(html`<care-support-room endpoint=${endpoint} token=${token} group=${groupId} locale=${locale} poll-interval="0"></care-support-room>`);
}
const text = (el: Element) => (shadow(el).textContent ?? '').replace(/\s+/g, ' ');
function button(el: Element, label: string): HTMLButtonElement {
  const found = [...shadow(el).querySelectorAll('button')].find((b) => b.textContent?.trim() === label);
  if (!found) throw new Error(`no button "${label}" in ${text(el).slice(0, 300)}`);
  return found;
}
const status = (el: Element) => shadow(el).querySelector('[part="status"]')?.textContent ?? '';

before(async () => {
  ({ endpoint } = await careServer());
});
afterEach(() => fixtureCleanup());

describe('<care-support-room> add to calendar', () => {
  it('downloads the sessions as an .ics file written for the person', async () => {
    const { groupId, members } = await createGroup({ offsetMinutes: 60 });
    const el = await room(await ready(groupId, members[0]!, 'Maple'), groupId);
    await waitUntil(() => text(el).includes('Add to your calendar'), 'the calendar section');

    const blobs: Blob[] = [];
    const names: string[] = [];
    const createObjectURL = URL.createObjectURL.bind(URL);
    const click = HTMLAnchorElement.prototype.click;
    URL.createObjectURL = (blob: Blob | MediaSource) => {
      blobs.push(blob as Blob);
      return createObjectURL(blob);
    };
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      names.push(this.download);
    };
    try {
      button(el, 'Download calendar file (.ics)').click();
      await waitUntil(() => status(el).includes('Calendar file ready'), 'the result is announced');
    } finally {
      URL.createObjectURL = createObjectURL;
      HTMLAnchorElement.prototype.click = click;
    }
    expect(names).to.deep.equal(['thursday-recovery-circle.ics']);
    expect(blobs[0]!.type).to.equal('text/calendar;charset=utf-8');
    const ics = await blobs[0]!.text();
    expect(ics).to.match(/^BEGIN:VCALENDAR/);
    expect(ics).to.include('SUMMARY:Thursday recovery circle');
    expect(ics).to.match(/RRULE:FREQ=WEEKLY;BYDAY=[A-Z]{2}/);
    // The page the person is on is the join link (no query: a portal address may name the patient).
    expect(ics.replace(/\r\n /g, '')).to.include(`URL;VALUE=URI:${location.origin}${location.pathname}`);
    expect(ics).not.to.include('Maple');
  });

  it('gives a member a subscription link that serves the calendar, with copy and open-in-app, keyboard and screen-reader friendly', async () => {
    const { groupId, members } = await createGroup({ offsetMinutes: 60 });
    const el = await room(await ready(groupId, members[0]!, 'Birch'), groupId);
    await waitUntil(() => text(el).includes('Get a subscription link'), 'the subscribe button');
    button(el, 'Get a subscription link').focus();
    button(el, 'Get a subscription link').click();
    await waitUntil(() => shadow(el).querySelector('#calendar-feed'), 'the link appears');
    const input = shadow(el).querySelector<HTMLInputElement>('#calendar-feed')!;
    expect(input.value).to.match(new RegExp(`^${endpoint.replace(/[.:/]/g, '\\$&')}/calendar/feeds/[A-Za-z0-9_-]{43}\\.ics$`));
    expect(input.labels?.[0]?.textContent?.trim()).to.equal('Subscription link');
    // The live region is cleared and refilled a frame later (so a repeated message is read again).
    await waitUntil(() => status(el).includes('Subscription link'), 'the link is announced');
    const feed = await fetch(input.value);
    expect(feed.status).to.equal(200);
    expect(await feed.text()).to.include('BEGIN:VEVENT');
    const openInApp = shadow(el).querySelector<HTMLAnchorElement>('.calendar-feed a')!;
    expect(openInApp.href).to.equal(input.value.replace(/^http:/, 'webcal:'));
    await expect(el).to.be.accessible();

    // A second link replaces the first, and says so.
    button(el, 'Get a subscription link').click();
    await waitUntil(() => text(el).includes('no longer works'), 'the replacement is said');
    expect((await fetch(input.value)).status).to.equal(200, 'the new link works');
  });

  it('reads right to left in Arabic', async () => {
    const { groupId, members } = await createGroup({ offsetMinutes: 60 });
    const el = await room(await ready(groupId, members[0]!, 'Cedar'), groupId, 'ar');
    await waitUntil(() => text(el).includes('أضف إلى تقويمك'), 'the Arabic calendar section');
    expect(getComputedStyle(shadow(el).querySelector('.calendar')!).direction).to.equal('rtl');
    await expect(el).to.be.accessible();
  });
});
