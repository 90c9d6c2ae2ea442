import { api } from '../api.js';
import { badge, h, table, when } from '../dom.js';

/** @typedef {import('../api.js').CaseView} CaseView */
/** @typedef {import('../api.js').IncidentView} IncidentView */

/** Remote-guidance cases and fleet incidents, newest first. @type {import('../app.js').View} */
export const casesView = {
  title: 'Cases & incidents',
  channels: ['cases', 'incidents'],
  mount(container) {
    const cases = h('div', { class: 'list' });
    const incidents = h('div', { class: 'list' });
    container.append(
      h('div', { class: 'toolbar' }, h('h1', {}, 'Remote cases')),
      cases,
      h('div', { class: 'toolbar' }, h('h1', {}, 'Fleet incidents')),
      incidents,
    );
    return async () => {
      const [caseList, incidentList] = /** @type {[CaseView[], IncidentView[]]} */ (await Promise.all([api('/cases'), api('/incidents')]));
      cases.replaceChildren(
        table(
          ['Case', 'Serial', 'Code', 'State', 'Queue', 'Faults', 'Last fault'],
          caseList.map((c) => [
            `#${c.id}`,
            h('span', { class: 'mono' }, c.serial),
            h('span', { class: 'mono' }, c.code),
            badge(c.state, c.closedAt === null ? 'info' : ''),
            c.queue,
            String(c.faultCount),
            when(c.lastFaultAt),
          ]),
          'No cases.',
        ),
      );
      incidents.replaceChildren(
        table(
          ['Incident', 'Code', 'Model', 'Firmware', 'Boxes', 'State', 'Opened'],
          incidentList.map((i) => [
            `#${i.id}`,
            h('span', { class: 'mono' }, i.code),
            i.model,
            i.firmware,
            String(i.boxCount),
            badge(i.state, i.resolvedAt === null ? 'warn' : ''),
            when(i.openedAt),
          ]),
          'No incidents.',
        ),
      );
    };
  },
};
