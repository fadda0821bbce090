/**
 * The care widgets in a Vue 3 page: `import 'care-widgets'` registers the elements; Vue sets
 * properties on custom elements when the element has them (token, tokenProvider, answers; `.prop`
 * forces it) and `onCareSubmitted` listens to the `care-submitted` event. Render functions keep
 * the demo free of a template compiler; a template reads the same:
 * <care-check-in :answers="answers" @care-submitted="record" />.
 */
import 'care-widgets';
import { createApp, defineComponent, h, onMounted, ref, shallowRef } from 'vue';
import type { Answers } from '../../server/contract/check-in.js';
import { describeEvent, endpoint, examples, fetchToken, person } from '../shared/embed-demo.js';

const App = defineComponent({
  setup() {
    const token = ref('');
    const answers = shallowRef<Answers>({});
    const log = ref<string[]>([]);
    const record = (event: Event) => {
      log.value = [...log.value, describeEvent(event)];
    };
    const tokenProvider = () => fetchToken(person);
    onMounted(async () => {
      token.value = await fetchToken(person);
    });
    return () =>
      h(
        'care-provider',
        { endpoint, locale: 'en-US', theme: 'light', '.token': token.value, '.tokenProvider': tokenProvider, onCareTokenRefreshed: record, 'data-framework': 'vue' },
        [
          h('h1', 'Vue 3 portal'),
          h('div', { class: 'examples' }, [
            h('button', { type: 'button', onClick: () => (answers.value = { ...examples.calm }) }, 'Fill in a calm day'),
            h('button', { type: 'button', onClick: () => (answers.value = { ...examples.hard }) }, 'Fill in a hard day'),
          ]),
          h('care-check-in', { template: 'daily', '.answers': answers.value, onCareSubmitted: record, onCareRisk: record }),
          h('section', { class: 'log', 'aria-labelledby': 'log-title' }, [
            h('h2', { id: 'log-title' }, 'Events Vue received'),
            h('ol', { id: 'event-log' }, log.value.map((line, i) => h('li', { key: i }, line))),
          ]),
        ],
      );
  },
});

const app = createApp(App);
// Every care-* tag is a custom element, not a Vue component.
app.config.compilerOptions.isCustomElement = (tag) => tag.startsWith('care-');
app.mount('#app');
