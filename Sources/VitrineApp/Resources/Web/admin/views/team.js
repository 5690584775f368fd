// Team: members with their roles, pending invitations, and inviting someone by link.

import { api, path } from '../api.js';
import { t } from '../i18n.js';
import { h, clear } from '../lib/dom.js';
import { field, select, messageBox, showMessage, reportError, clearErrors, busy } from '../lib/forms.js';
import { formatDateTime } from '../lib/format.js';
import { onceBox } from '../lib/secret.js';
import { session, ROLES } from '../lib/session.js';

export async function render(ctx) {
  const base = path`/api/brands/${ctx.brandId}`;
  const isOwner = ctx.role === 'owner';
  const roles = ROLES.filter((role) => isOwner || role !== 'owner');
  const roleOptions = roles.map((role) => [role, t(`role.${role}`)]);
  const zone = ctx.brand?.timeZone;
  const box = messageBox();
  const members = h('div', { class: 'table-wrap' });
  const invitations = h('div', { class: 'table-wrap' });
  const linkHolder = h('div');

  function memberRow(member) {
    const editable = isOwner || member.role !== 'owner';
    const isMe = member.user.id === session.user.id;
    const label = t('team.role_of', { name: member.user.name || member.user.email });
    let roleCell = t(`role.${member.role}`);
    if (editable) {
      roleCell = select(roleOptions, member.role, { 'aria-label': label });
      roleCell.addEventListener('change', async () => {
        const previous = member.role;
        try {
          Object.assign(member, await api.patch(`${base}/members/${encodeURIComponent(member.id)}`, { role: roleCell.value }));
          showMessage(box, t('team.role_changed', { name: member.user.name || member.user.email, role: t(`role.${member.role}`) }), 'success');
          if (isMe) location.reload();
        } catch (error) {
          roleCell.value = previous;
          reportError(error, { box });
        }
      });
    }
    const remove = editable ? h('button', { type: 'button', class: 'button button-small button-danger',
      'aria-label': t('team.remove_n', { name: member.user.name || member.user.email }) }, t('team.remove')) : null;
    remove?.addEventListener('click', async () => {
      const question = isMe ? t('team.remove_me_confirm') : t('team.remove_confirm', { name: member.user.name || member.user.email });
      if (!window.confirm(question)) return;
      await busy(remove, async () => {
        try {
          await api.del(`${base}/members/${encodeURIComponent(member.id)}`);
          if (isMe) location.assign('/admin/');
          else await loadMembers();
          showMessage(box, t('team.removed'), 'success');
        } catch (error) {
          reportError(error, { box });
        }
      });
    });
    return h('tr', {},
      h('td', {}, member.user.name, isMe ? h('span', { class: 'muted' }, ` (${t('team.you')})`) : null),
      h('td', {}, member.user.email),
      h('td', {}, roleCell),
      h('td', {}, formatDateTime(member.createdAt, zone)),
      h('td', { class: 'cell-actions' }, remove));
  }

  function invitationRow(invitation) {
    const expired = new Date(invitation.expiresAt) < new Date();
    const state = invitation.acceptedAt ? 'accepted' : expired ? 'expired' : 'pending';
    const cancel = invitation.acceptedAt ? null : h('button', { type: 'button', class: 'button button-small button-danger',
      'aria-label': t('team.cancel_n', { email: invitation.email }) }, t('team.cancel'));
    cancel?.addEventListener('click', async () => {
      if (!window.confirm(t('team.cancel_confirm', { email: invitation.email }))) return;
      await busy(cancel, async () => {
        try {
          await api.del(`${base}/invitations/${encodeURIComponent(invitation.id)}`);
          await loadInvitations();
          showMessage(box, t('team.cancelled'), 'success');
        } catch (error) {
          reportError(error, { box });
        }
      });
    });
    return h('tr', {},
      h('td', {}, invitation.email),
      h('td', {}, t(`role.${invitation.role}`)),
      h('td', {}, h('span', { class: `badge badge-${state}` }, t(`team.state_${state}`))),
      h('td', {}, formatDateTime(invitation.expiresAt, zone)),
      h('td', { class: 'cell-actions' }, cancel));
  }

  const table = (caption, heads, rows) => h('table', { class: 'table' },
    h('caption', { class: 'visually-hidden' }, caption),
    h('thead', {}, h('tr', {}, heads.map((head) => h('th', { scope: 'col' }, head)),
      h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('team.actions'))))),
    h('tbody', {}, rows));

  async function loadMembers() {
    const { items } = await api.get(`${base}/members`);
    clear(members).append(table(t('team.members'),
      [t('field.name'), t('field.email'), t('field.role'), t('team.since')], items.map(memberRow)));
  }

  async function loadInvitations() {
    const { items } = await api.get(`${base}/invitations`);
    clear(invitations).append(items.length
      ? table(t('team.invitations'), [t('field.email'), t('field.role'), t('team.state'), t('team.expires')],
        items.map(invitationRow))
      : h('p', { class: 'empty' }, t('team.no_invitations')));
  }

  const email = h('input', { type: 'email', required: true, spellcheck: 'false' });
  const role = select(roleOptions, 'host');
  const submit = h('button', { type: 'submit', class: 'button button-primary' }, t('team.invite'));
  const form = h('form', { class: 'card form', novalidate: true },
    h('h2', {}, t('team.invite_title')),
    h('div', { class: 'grid' }, field(t('field.email'), email, { name: 'email' }), field(t('field.role'), role, { name: 'role' })),
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    showMessage(box, '');
    await busy(submit, async () => {
      try {
        const { invitation, link } = await api.post(`${base}/invitations`, { email: email.value.trim(), role: role.value });
        const card = onceBox({ title: t('team.link_title', { email: invitation.email }), label: t('team.link'), value: link,
          warning: t('team.link_once') });
        clear(linkHolder).append(card);
        card.focus();
        form.reset();
        await loadInvitations();
      } catch (error) {
        reportError(error, { scope: form, box });
      }
    });
  });

  ctx.root.append(box,
    h('div', { class: 'card' }, h('h2', {}, t('team.members')), members),
    form, linkHolder,
    h('div', { class: 'card' }, h('h2', {}, t('team.invitations')), invitations));
  await Promise.all([loadMembers(), loadInvitations()]);
}
