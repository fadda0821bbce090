/**
 * The care widgets in a React 19 page, the way a clinic's React portal uses them: `import
 * 'care-widgets'` registers the elements; React 19 sets properties (token, tokenProvider, answers)
 * on custom elements and listens to their events through `on<event-name>` props.
 * (Plain createElement so the demo needs no JSX plugin; JSX works the same: <care-check-in answers={…} oncare-submitted={…} />.)
 */
import 'care-widgets';
import { createElement as h, StrictMode, useCallback, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { Answers } from '../../server/contract/check-in.js';
import { describeEvent, endpoint, examples, fetchToken, person } from '../shared/embed-demo.js';

function App() {
  const [token, setToken] = useState('');
  const [answers, setAnswers] = useState<Answers>({});
  const [log, setLog] = useState<string[]>([]);
  const record = useCallback((event: Event) => setLog((lines) => [...lines, describeEvent(event)]), []);
  const tokenProvider = useCallback(() => fetchToken(person), []);

  useEffect(() => {
    void fetchToken(person).then(setToken);
  }, []);

  return h(
    'care-provider',
    { endpoint, locale: 'en-US', theme: 'light', token, tokenProvider, 'oncare-token-refreshed': record, 'data-framework': 'react' },
    h('h1', { slot: undefined }, 'React 19 portal'),
    h(
      'div',
      { className: 'examples' },
      h('button', { type: 'button', onClick: () => setAnswers({ ...examples.calm }) }, 'Fill in a calm day'),
      h('button', { type: 'button', onClick: () => setAnswers({ ...examples.hard }) }, 'Fill in a hard day'),
    ),
    h('care-check-in', { template: 'daily', answers, 'oncare-submitted': record, 'oncare-risk': record }),
    h('section', { className: 'log', 'aria-labelledby': 'log-title' }, h('h2', { id: 'log-title' }, 'Events React received'), h('ol', { id: 'event-log' }, log.map((line, i) => h('li', { key: i }, line)))),
  );
}

createRoot(document.getElementById('root')!).render(h(StrictMode, null, h(App)));
