import { expect, fixture, fixtureCleanup, html, oneEvent } from '@open-wc/testing';
import { waitUntil } from './wait-until.js';
import { executeServerCommand, sendKeys } from '@web/test-runner-commands';
import '../../components/index.js';
import type { CareCheckIn } from '../../components/check-in/check-in.js';
import {
  calmDay,
  careServer,
  control,
  fillDaily,
  liveRegion,
  newClientId,
  shadow,
  storedCheckIns,
  submitButton,
  tokenFor,
} from './helpers.js';

let endpoint: string;
before(async () => {
  ({ endpoint } = await careServer());
});
afterEach(() => fixtureCleanup());

async function checkIn(token: string, attrs: { locale?: string; theme?: string; dir?: string; region?: string; template?: string } = {}) {
  return fixture<CareCheckIn>(html`
    <care-check-in
      endpoint=${endpoint}
      token=${token}
      locale=${attrs.locale ?? 'en-US'}
      theme=${attrs.theme ?? 'auto'}
      region=${attrs.region ?? ''}
      template=${attrs.template ?? 'daily'}
      dir=${attrs.dir ?? 'ltr'}
    ></care-check-in>
  `);
}

async function waitForText(el: Element, text: string) {
  await waitUntil(() => shadow(el).textContent?.includes(text), `waiting for "${text}"`, { timeout: 10000 });
}

describe('<care-check-in>', () => {
  it('renders the daily questions with labels and is accessible', async () => {
    const el = await checkIn(await tokenFor(newClientId()));
    expect(shadow(el).querySelector('h2')!.textContent).to.equal('Daily check-in');
    expect(shadow(el).querySelectorAll('input[name="mood"]')).to.have.length(11);
    expect(shadow(el).querySelector('label[for="sleepHours"]')!.textContent).to.contain('hours did you sleep');
    await expect(el).to.be.accessible();
  });

  it('sends a filled check-in, announces it and stores exactly one row', async () => {
    const sub = newClientId();
    const el = await checkIn(await tokenFor(sub));
    await fillDaily(el, { ...calmDay, note: 'Went to a meeting' });
    const submitted = oneEvent(el, 'care-submitted');
    submitButton(el).click();
    const { detail } = await submitted;
    // A calm day, but a note to the care team is itself a reason for them to look.
    expect(detail.result.risk).to.deep.equal({ level: 'elevated', reasons: ['note'] });
    await waitUntil(() => liveRegion(el).textContent?.includes('Check-in sent'));
    expect(shadow(el).querySelector('.result')).to.equal(shadow(el).activeElement);
    const rows = await storedCheckIns(sub);
    expect(rows).to.have.length(1);
    await expect(el).to.be.accessible();
  });

  it('shows field errors tied to their inputs and moves focus to the first one', async () => {
    const el = await checkIn(await tokenFor(newClientId()));
    control(el, 'craving', '3').click();
    submitButton(el).click();
    await waitUntil(() => liveRegion(el).textContent?.includes('Please check 4 answers'));
    const mood = control(el, 'mood', '0');
    expect(mood.getAttribute('aria-invalid')).to.equal('true');
    expect(mood.getAttribute('aria-describedby')).to.contain('mood-error');
    expect(shadow(el).getElementById('mood-error')!.textContent).to.equal('Please answer this question.');
    expect(shadow(el).activeElement).to.equal(mood);
    expect(control(el, 'craving', '3').getAttribute('aria-invalid')).to.equal('false');
    await expect(el).to.be.accessible();
  });

  it('rejects a sleep value out of range with a message naming the range', async () => {
    const el = await checkIn(await tokenFor(newClientId()));
    await fillDaily(el, { ...calmDay, sleepHours: 30 });
    submitButton(el).click();
    await waitForText(el, 'Choose a number from 0 to 24.');
  });

  it('shows crisis lines at once and fires care-risk for an urgent check-in', async () => {
    const el = await checkIn(await tokenFor(newClientId()));
    await fillDaily(el, { ...calmDay, mood: 1, craving: 9, used: 'yes' });
    const risk = oneEvent(el, 'care-risk');
    submitButton(el).click();
    const { detail } = await risk;
    expect(detail.level).to.equal('urgent');
    expect(detail.reasons).to.include.members(['high_craving', 'reported_use']);
    await el.updateComplete;
    const crisis = shadow(el).querySelector('[part="crisis"]')!;
    expect(crisis).to.exist;
    const links = [...crisis.querySelectorAll('a')].map((a) => a.getAttribute('href'));
    expect(links).to.include.members(['tel:988', 'sms:988', 'tel:911']);
    await expect(el).to.be.accessible();
  });

  it('shows the crisis line of the region in Spanish', async () => {
    const el = await checkIn(await tokenFor(newClientId()), { locale: 'es-ES' });
    await fillDaily(el, { ...calmDay, warningSigns: ['thoughts_of_self_harm'] });
    const risk = oneEvent(el, 'care-risk');
    submitButton(el).click();
    await risk;
    await el.updateComplete;
    const links = [...shadow(el).querySelectorAll('[part="crisis"] a')].map((a) => a.getAttribute('href'));
    expect(links).to.include.members(['tel:024', 'tel:112']);
    expect(shadow(el).querySelector('[part="crisis"] h3')!.textContent).to.not.equal('crisis.title');
  });

  it('keeps the draft on the device across a reload', async () => {
    const token = await tokenFor(newClientId());
    const first = await checkIn(token);
    await fillDaily(first, { ...calmDay, mood: 4, note: 'half written' });
    await waitForText(first, 'Draft saved on this device');
    fixtureCleanup();
    const second = await checkIn(token);
    await waitUntil(() => control(second, 'mood', '4').checked, 'draft restored');
    expect(shadow(second).querySelector<HTMLTextAreaElement>('textarea')!.value).to.equal('half written');
  });

  it('queues a check-in while the server is down and sends it once when it is back', async () => {
    const sub = newClientId();
    const el = await checkIn(await tokenFor(sub));
    await fillDaily(el, calmDay);
    await careServer('stop');
    try {
      const queued = oneEvent(el, 'care-queued');
      submitButton(el).click();
      await queued;
      await waitForText(el, 'Saved on this device');
      await waitUntil(() => liveRegion(el).textContent?.includes('Saved on this device'));
    } finally {
      await careServer('start');
    }
    const submitted = oneEvent(el, 'care-submitted');
    await el.sendPending();
    await submitted;
    await el.sendPending();
    await waitForText(el, 'Check-in sent');
    expect(await storedCheckIns(sub)).to.have.length(1);
  });

  it('"Send now" pressed while an earlier attempt is still waiting sends once that attempt ends', async () => {
    const sub = newClientId();
    const el = await checkIn(await tokenFor(sub));
    await fillDaily(el, calmDay);
    const realFetch = window.fetch;
    let serverIs: 'down' | 'silent' | 'up' = 'down';
    let endSilentAttempt: (() => void) | undefined;
    window.fetch = (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (!url.includes('checkIn.submit') || serverIs === 'up') return realFetch(input, init);
      if (serverIs === 'down') return Promise.reject(new TypeError('Failed to fetch'));
      return new Promise((_, reject) => (endSilentAttempt = () => reject(new TypeError('Failed to fetch'))));
    };
    let sent = false;
    el.addEventListener('care-submitted', () => (sent = true));
    try {
      const queued = oneEvent(el, 'care-queued');
      submitButton(el).click();
      await queued;
      serverIs = 'silent';
      const retry = el.sendPending();
      await waitUntil(() => endSilentAttempt, 'the retry reaches the server');
      serverIs = 'up';
      const sendNow = el.sendPending();
      endSilentAttempt!();
      await Promise.all([retry, sendNow]);
      expect(sent, 'sent by the time "Send now" is done').to.be.true;
    } finally {
      window.fetch = realFetch;
    }
    await waitForText(el, 'Check-in sent');
    expect(await storedCheckIns(sub)).to.have.length(1);
  });

  it('can be filled in and sent with the keyboard alone', async () => {
    const sub = newClientId();
    const el = await checkIn(await tokenFor(sub));
    const focused = () => shadow(el).activeElement as HTMLInputElement | null;
    async function tabTo(name: string) {
      for (let i = 0; i < 40 && focused()?.name !== name; i++) await sendKeys({ press: 'Tab' });
      expect(focused()?.name).to.equal(name);
    }
    control(el, 'mood', '0').focus();
    for (let i = 0; i < 6; i++) await sendKeys({ press: 'ArrowRight' });
    await tabTo('craving');
    await sendKeys({ press: 'ArrowRight' });
    await tabTo('sleepHours');
    await sendKeys({ type: '8' });
    await tabTo('medication');
    await sendKeys({ press: 'Space' });
    await tabTo('used');
    await sendKeys({ press: 'Space' });
    await tabTo('note');
    await sendKeys({ type: 'typed by keyboard' });
    const submitted = oneEvent(el, 'care-submitted');
    await sendKeys({ press: 'Tab' });
    expect(shadow(el).activeElement).to.equal(submitButton(el));
    await sendKeys({ press: 'Enter' });
    await submitted;
    const [row] = await storedCheckIns(sub);
    expect(row).to.exist;
  });

  for (const variant of [
    { name: 'Spanish', attrs: { locale: 'es' }, heading: 'Registro diario' },
    { name: 'right-to-left', attrs: { dir: 'rtl' }, heading: 'Daily check-in' },
    { name: 'dark', attrs: { theme: 'dark' }, heading: 'Daily check-in' },
  ]) {
    it(`has no axe violations in ${variant.name}, empty and invalid`, async () => {
      const el = await checkIn(await tokenFor(newClientId()), variant.attrs);
      await waitUntil(() => shadow(el).querySelector('h2')!.textContent === variant.heading, 'localized heading', { timeout: 5000 });
      await expect(el).to.be.accessible();
      submitButton(el).click();
      await waitUntil(() => shadow(el).querySelector('.error'));
      await expect(el).to.be.accessible();
    });
  }

  it('works inside <care-provider> and follows its locale', async () => {
    const token = await tokenFor(newClientId());
    const provider = await fixture(html`<care-provider endpoint=${endpoint} token=${token} locale="en"><care-check-in></care-check-in></care-provider>`);
    const el = provider.querySelector('care-check-in')!;
    await el.updateComplete;
    expect(shadow(el).querySelector('h2')!.textContent).to.equal('Daily check-in');
    provider.setAttribute('locale', 'es');
    await waitUntil(() => shadow(el).querySelector('h2')!.textContent !== 'Daily check-in', 'switch to Spanish', { timeout: 5000 });
    const submitted = oneEvent(el, 'care-submitted');
    await fillDaily(el, calmDay);
    submitButton(el).click();
    await submitted;
  });

  it('scores a PHQ-9 and reports the severity band', async () => {
    const el = await checkIn(await tokenFor(newClientId()), { template: 'phq9' });
    for (let i = 1; i <= 9; i++) control(el, `q${i}`, i <= 6 ? '2' : '0').click();
    const submitted = oneEvent(el, 'care-submitted');
    submitButton(el).click();
    const { detail } = await submitted;
    expect(detail.result.score).to.deep.equal({ instrument: 'phq9', total: 12, max: 27, severity: 'moderate' });
    await waitForText(el, 'PHQ-9 score: 12 of 27 (moderate).');
  });

  it('says the clinic site is not set up (not "offline") when the server answers but refuses this origin', async () => {
    const { endpoint: refusing } = await executeServerCommand<{ endpoint: string }, undefined>('origin-refusing-server');
    const el = await fixture<CareCheckIn>(html`<care-check-in endpoint=${refusing} token=${await tokenFor(newClientId())} locale="en"></care-check-in>`);
    const logged: unknown[][] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void logged.push(args);
    try {
      await fillDaily(el, calmDay);
      const refused = oneEvent(el, 'care-error');
      submitButton(el).click();
      const { detail } = await refused;
      expect(detail.reason).to.equal('origin-not-allowed');
      await waitForText(el, 'not set up to send check-ins yet');
      expect(shadow(el).textContent).to.not.contain('when your connection is back');
      await waitUntil(() => liveRegion(el).textContent?.includes('not set up to send check-ins yet'));
      await el.sendPending();
      const aboutOrigins = logged.filter((args) => args.join(' ').includes('CARE_ALLOWED_ORIGINS'));
      expect(aboutOrigins).to.have.length(1);
    } finally {
      console.error = original;
    }
  });

  it('with a refused sign-in shows only the sign-in notice, keeps the answers and sends them once a new token arrives', async () => {
    const sub = newClientId();
    const good = await tokenFor(sub);
    const refused = `${good.split('.').slice(0, 2).join('.')}.c2lnbmVkLWJ5LXNvbWVvbmUtZWxzZQ`;
    const el = await checkIn(refused);
    await fillDaily(el, calmDay);
    submitButton(el).click();
    await waitForText(el, 'Please sign in to your clinic portal again');
    await el.updateComplete;
    const notices = [...shadow(el).querySelectorAll('[part="notice"]')].map((n) => n.textContent);
    expect(notices.join(' ')).to.not.contain('when your connection is back');
    expect(notices.filter((n) => n.includes('Your sign-in has expired'))).to.have.length(1);
    expect(await storedCheckIns(sub)).to.have.length(0);
    const submitted = oneEvent(el, 'care-submitted');
    el.token = good;
    await submitted;
    await waitForText(el, 'Check-in sent');
    expect(await storedCheckIns(sub)).to.have.length(1);
  });

  it('starts the new form after the questionnaire is switched, instead of still saying "sent"', async () => {
    const el = await checkIn(await tokenFor(newClientId()));
    await fillDaily(el, calmDay);
    const submitted = oneEvent(el, 'care-submitted');
    submitButton(el).click();
    await submitted;
    await waitForText(el, 'Check-in sent');
    el.template = 'phq9';
    await el.updateComplete;
    expect(shadow(el).textContent).to.not.contain('Check-in sent');
    expect(shadow(el).querySelector('input[name="q1"]')).to.exist;
  });

  it('says "Check-in sent" once on the page, not as heading and again in the text', async () => {
    const el = await checkIn(await tokenFor(newClientId()));
    await fillDaily(el, calmDay);
    const submitted = oneEvent(el, 'care-submitted');
    submitButton(el).click();
    await submitted;
    await el.updateComplete;
    const visible = shadow(el).querySelector('.result')!.textContent;
    expect(visible.split('Check-in sent')).to.have.length(2);
  });

  it('under an urgent check-in, says the hotlines are 24/7 and when the care team answers (the clinic on-call hours)', async () => {
    const el = await checkIn(await tokenFor(newClientId()));
    await fillDaily(el, { ...calmDay, mood: 1, craving: 9, used: 'yes' });
    const risk = oneEvent(el, 'care-risk');
    submitButton(el).click();
    await risk;
    const crisis = () => shadow(el).querySelector('[part="crisis"]')!;
    await waitUntil(() => crisis()?.textContent?.includes('Mon–Fri 09:00–17:00'), 'on-call hours', { timeout: 10000 });
    const paragraphs = [...crisis().querySelectorAll('p')].map((p) => p.textContent.trim());
    const hours24 = paragraphs.find((p) => p.includes('24 hours'))!;
    expect(hours24).to.match(/lines/i);
    const careTeam = paragraphs.findIndex((p) => p.includes('care team has been told'));
    expect(paragraphs[careTeam + 1] ?? '').to.not.contain('24 hours');
    expect(paragraphs.slice(careTeam).join(' ')).to.contain('staffed Mon–Fri 09:00–17:00');
    await expect(el).to.be.accessible();
  });

  it('asks to sign in again when the token has expired', async () => {
    const el = await checkIn('eyJhbGciOiJIUzI1NiJ9.eyJjbGluaWMiOiJkZW1vLWNsaW5pYyIsInN1YiI6Im5vYm9keSIsInJvbGUiOiJjbGllbnQiLCJleHAiOjF9.x');
    await fillDaily(el, calmDay);
    submitButton(el).click();
    await waitForText(el, 'Please sign in to your clinic portal again');
  });
});
