import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'puppeteer-core';
import type { CheckInPage } from '../../server/contract/index.js';
import { setIssuer } from '../../server/smart/registration.js';
import { CLINIC_A, dataOf, mintToken, query, type TestServer } from './helpers.js';
import { freshPage, launchPatientApp, startPatientAppRig, type PatientAppRig, type SampleEhr } from './smart-fixtures.js';

const CLIENT = 'care-widgets-write-back';

/**
 * SMART write-back in headless Chromium against the sample EHR (oidc-provider + its FHIR endpoint,
 * which validates and counts QuestionnaireResponse creates): launch → a check-in → exactly one
 * QuestionnaireResponse at the EHR; the same with the page offline during the check-in (and the EHR
 * down once, and its answer lost once); the EHR refusing → the clinic sees it on the check-in; the
 * clinic's write-back off → nothing sent. Needs the widget build (npm run build:widgets).
 */
describe('SMART write-back from the launch page', () => {
  let rig: PatientAppRig;
  let server: TestServer;
  let ehr: SampleEhr;
  let person: string;

  before(async () => {
    rig = await startPatientAppRig(CLIENT, { writeBack: true });
    ({ server, ehr, person } = rig);
  });
  after(() => rig?.stop());

  /** An EHR launch for Patient/123 in a fresh browser context, up to the check-in form. */
  const launch = async (): Promise<Page> => launchPatientApp(rig, await freshPage(rig.browser));

  /** Fills the daily check-in and sends it; resolves with what the widget announced (care-submitted or care-queued). */
  function checkIn(page: Page): Promise<{ event: string; clientRequestId: string }> {
    return page.evaluate(
      () =>
        new Promise<{ event: string; clientRequestId: string }>((resolve) => {
          const el = document.querySelector('care-check-in') as HTMLElement & { answers: unknown; submit(): void };
          el.addEventListener('care-submitted', (e) => resolve({ event: 'care-submitted', clientRequestId: (e as CustomEvent<{ result: { clientRequestId: string } }>).detail.result.clientRequestId }), { once: true });
          el.addEventListener('care-queued', (e) => resolve({ event: 'care-queued', clientRequestId: (e as CustomEvent<{ clientRequestId: string }>).detail.clientRequestId }), { once: true });
          el.answers = { mood: 6, craving: 2, sleepHours: 7.5, medication: 'yes', used: 'no' };
          el.submit();
        }),
    );
  }

  const writeBackState = (page: Page, state: string, timeout = 30_000) => page.waitForSelector(`#smart-write-back[data-state="${state}"]`, { timeout });
  const createdFor = (clientRequestId: string) => ehr.writes.created.filter((qr) => qr.identifier?.value === clientRequestId);
  const rowFor = async (clientRequestId: string) => {
    const checkIn = await server.db.selectFrom('check_ins').select('id').where('client_request_id', '=', clientRequestId).executeTakeFirstOrThrow();
    return server.db.selectFrom('smart_write_backs').selectAll().where('check_in_id', '=', checkIn.id).executeTakeFirst();
  };

  it('a check-in accepted on the launch page is created at the EHR exactly once: our mapping, the EHR patient as subject', async () => {
    const page = await launch();
    const sent = await checkIn(page);
    assert.equal(sent.event, 'care-submitted');
    await writeBackState(page, 'written');
    const created = createdFor(sent.clientRequestId);
    assert.equal(created.length, 1);
    assert.deepEqual(created[0]!.subject, { reference: 'Patient/123' });
    assert.equal(created[0]!.identifier?.system, 'urn:care-widgets:client-request-id');
    assert.match(created[0]!.questionnaire ?? '', /^https:\/\/care-widgets\.org\/fhir\/Questionnaire\/daily\|\d+$/);
    assert.deepEqual(created[0]!.item?.find((i) => i.linkId === 'mood')?.answer, [{ valueInteger: 6 }]);
    assert.match(await page.$eval('#smart-write-back', (el) => el.textContent ?? ''), /added to your health record/);
    const row = await rowFor(sent.clientRequestId);
    assert.equal(row?.status, 'written');
    assert.equal(row?.ehr_resource, `QuestionnaireResponse/${created[0]!.id}`);
    await page.browserContext().close();
  });

  it('offline during the check-in, then online (the EHR down once and its answer lost once): still exactly one', async () => {
    const page = await launch();
    const attemptsBefore = ehr.writes.attempts;
    await page.setOfflineMode(true);
    const queued = await checkIn(page);
    assert.equal(queued.event, 'care-queued', 'saved on the device while offline');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(ehr.writes.attempts, attemptsBefore, 'nothing reached the EHR while offline');
    ehr.writes.failWrites = 1;
    ehr.writes.loseNextWriteAnswer = true;
    await page.setOfflineMode(false);
    await writeBackState(page, 'written', 60_000);
    assert.equal(ehr.writes.attempts - attemptsBefore, 3, '503, a lost answer, then the conditional create found the first');
    assert.equal(createdFor(queued.clientRequestId).length, 1, 'exactly one QuestionnaireResponse at the EHR');
    assert.equal((await rowFor(queued.clientRequestId))?.status, 'written');
    await page.browserContext().close();
  });

  it('a write the EHR refuses is reported and shown to the clinic on the check-in, never dropped', async () => {
    ehr.writes.writeRefusal = 403;
    try {
      const page = await launch();
      const sent = await checkIn(page);
      await writeBackState(page, 'refused');
      assert.match(await page.$eval('#smart-write-back', (el) => el.textContent ?? ''), /did not accept.*clinic has been told/);
      assert.equal(createdFor(sent.clientRequestId).length, 0);
      const clinician = await mintToken({ sub: 'dr-a', role: 'clinician' });
      const page1 = dataOf(await query<CheckInPage>(server.baseUrl, 'checkIn.list', { clientId: person }, clinician));
      const record = page1.items.find((i) => i.clientRequestId === sent.clientRequestId);
      assert.equal(record?.writeBack?.status, 'refused');
      assert.equal(record?.writeBack?.httpStatus, 403);
      assert.equal(record?.writeBack?.reason, 'refused');
      assert.match(record?.writeBack?.detail ?? '', /does not accept QuestionnaireResponses/);
      // And in the clinician's view of the person's record.
      const staff = await page.browserContext().newPage();
      await staff.goto(`${server.baseUrl}/healthz`);
      await staff.evaluate(
        async (endpoint, token, clientId) => {
          await import(`${endpoint}/widgets/client-record.js`);
          const el = document.createElement('care-client-record');
          for (const [name, value] of Object.entries({ endpoint, token, 'client-id': clientId, locale: 'en' })) el.setAttribute(name, value);
          document.body.replaceChildren(el);
        },
        server.baseUrl,
        clinician,
        person,
      );
      const refusedLine = () => document.querySelector('care-client-record')?.shadowRoot?.querySelector('[data-section="check-ins"] [data-write-back="refused"]');
      await staff.waitForFunction(refusedLine, { timeout: 20_000 });
      assert.match(await staff.evaluate(() => document.querySelector('care-client-record')!.shadowRoot!.querySelector('[data-section="check-ins"] [data-write-back="refused"]')!.textContent ?? ''), /The EHR \(127\.0\.0\.1:\d+\) refused this check-in: it answered 403 \(This EHR does not accept/);
      await page.browserContext().close();
    } finally {
      ehr.writes.writeRefusal = null;
    }
  });

  it('an access token the EHR revoked, with no refresh token to renew it: reported as refused (token), not dropped', async () => {
    ehr.refresh.grant = false;
    const page = await launch().finally(() => {
      ehr.refresh.grant = true;
    });
    // fhirclient keeps the launch in sessionStorage: SMART_KEY names the state entry holding the token response.
    const accessToken = await page.evaluate(() => {
      const key = JSON.parse(sessionStorage.getItem('SMART_KEY') ?? 'null') as string | null;
      const state = key ? (JSON.parse(sessionStorage.getItem(key) ?? 'null') as { tokenResponse?: { access_token?: string; refresh_token?: string } } | null) : null;
      return { access: state?.tokenResponse?.access_token, refresh: state?.tokenResponse?.refresh_token };
    });
    assert.ok(accessToken.access, 'the launch holds an access token');
    assert.equal(accessToken.refresh, undefined, 'the EHR granted no refresh token');
    await (await ehr.provider.AccessToken.find(accessToken.access))!.destroy();
    const sent = await checkIn(page);
    await writeBackState(page, 'refused');
    assert.equal(createdFor(sent.clientRequestId).length, 0);
    const row = await rowFor(sent.clientRequestId);
    assert.equal(row?.status, 'refused');
    assert.equal(row?.reason, 'token');
    assert.equal(row?.http_status, 401);
    await page.browserContext().close();
  });

  it('with write-back off for the EHR nothing is sent', async () => {
    await setIssuer(server.db, CLINIC_A, ehr.fhirBase, { writeBack: false });
    try {
      const attemptsBefore = ehr.writes.attempts;
      const page = await launch();
      const sent = await checkIn(page);
      assert.equal(sent.event, 'care-submitted');
      await new Promise((r) => setTimeout(r, 2_000));
      assert.equal(ehr.writes.attempts, attemptsBefore, 'no request reached the EHR');
      assert.equal(await page.$('#smart-write-back'), null, 'no write-back status on the page');
      assert.equal(await rowFor(sent.clientRequestId), undefined);
      await page.browserContext().close();
    } finally {
      await setIssuer(server.db, CLINIC_A, ehr.fhirBase, { writeBack: true });
    }
  });
});
