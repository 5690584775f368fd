// Hosts of a show or series: a checkbox per member when the team can be listed, else what is known.

import { t } from '../../i18n.js';
import { h } from '../../lib/dom.js';
import { checkbox } from '../../lib/forms.js';
import { memberName } from './common.js';

/**
 * `hosts` are member ids; `members` the team, or null when the role may not list it. `collect()`
 * returns the chosen ids, or undefined when they cannot be edited here (then they are left as they are).
 */
export function hostsEditor(hosts, { members, readOnly }) {
  const chosen = new Set(hosts ?? []);
  const legend = h('legend', {}, t('show.hosts'));
  if (!members) {
    const count = chosen.size;
    return {
      el: h('fieldset', { class: 'checks hosts', dataset: { field: 'hosts' }, tabindex: '-1' }, legend,
        h('p', {}, count ? t('show.hosts_count', { n: count, count }) : t('show.hosts_none')),
        h('p', { class: 'hint' }, t('show.hosts_unlisted'))),
      collect: () => undefined,
    };
  }
  const byId = new Map(members.map((m) => [m.id, m]));
  // Hosts who left the brand are listed apart: the server would refuse them as hosts again.
  const gone = [...chosen].filter((id) => !byId.has(id));
  const boxes = members.map((member) => {
    const box = checkbox(memberName(member), { value: member.id, checked: chosen.has(member.id), disabled: readOnly });
    return { member, ...box };
  });
  // A server error names "hosts[i]", i in the list sent: the whole group is marked.
  const el = h('fieldset', { class: 'checks hosts', dataset: { field: 'hosts' }, tabindex: '-1' }, legend,
    boxes.length
      ? h('div', { class: 'check-grid' }, boxes.map((b) => h('div', {}, b.el,
        h('span', { class: 'hint' }, t(`role.${b.member.role}`)))))
      : h('p', { class: 'empty' }, t('show.no_members')),
    gone.length ? h('p', { class: 'hint' }, t('show.hosts_gone', { n: gone.length, count: gone.length })) : null,
    readOnly ? null : h('p', { class: 'hint' }, t('show.hosts_hint')));

  function collect() {
    if (readOnly) return undefined;
    return boxes.filter((b) => b.input.checked).map((b) => b.member.id);
  }

  return { el, collect };
}

/** Member ids in the order the editor sends them, to compare with what it collects. */
export function hostsOf(item, members) {
  if (!members) return undefined;
  return members.map((m) => m.id).filter((id) => (item.hosts ?? []).includes(id));
}
