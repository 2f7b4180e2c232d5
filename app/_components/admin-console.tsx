'use client';
/** Token-protected maintainer actions; see app/admin/page.tsx. */
import { useEffect, useState, type FormEvent } from 'react';
import { idPreview, shortId } from '../../contract/ids';
import type { AdminKeyListed as AdminKey } from '../../contract';
import { DataTable } from './data-table';

const TOKEN_KEY = 'headprep-admin-token';

export interface AdminAction {
  id: string;
  label: string;
  target: 'key' | 'result';
  method: 'POST';
  path: (id: string) => string;
  body?: Record<string, unknown>;
}

export const ADMIN_ACTIONS: AdminAction[] = [
  { id: 'approve', label: 'Approve key', target: 'key', method: 'POST', path: (id) => `/api/admin/keys/${id}/approve` },
  { id: 'revoke', label: 'Revoke key', target: 'key', method: 'POST', path: (id) => `/api/admin/keys/${id}/revoke` },
  { id: 'hide', label: 'Hide result', target: 'result', method: 'POST', path: (id) => `/api/admin/results/${id}/hide` },
  { id: 'unhide', label: 'Unhide result', target: 'result', method: 'POST', path: (id) => `/api/admin/results/${id}/unhide` },
  { id: 'confirm', label: 'Confirm dispute', target: 'result', method: 'POST', path: (id) => `/api/admin/results/${id}/dispute`, body: { review: 'confirmed' } },
  { id: 'clear', label: 'Clear dispute', target: 'result', method: 'POST', path: (id) => `/api/admin/results/${id}/dispute`, body: { review: 'cleared' } },
];

const APPROVE_NEW: AdminAction = { ...ADMIN_ACTIONS[0]!, id: 'approve-new', label: 'Approve as a new identity', body: { identity: 'new' } };

/** "ok, key is now approved, identity ..." or "code: message": what an admin answer says, for the log. */
function answerMessage(ok: boolean, text: string): string {
  try {
    const j = JSON.parse(text) as {
      error?: { code: string; message: string };
      key?: { status?: string };
      hidden?: boolean;
      identity?: { name: string; decision: string; matched_on: string[] } | null;
      trust_tier?: string;
    };
    if (j.error) return `${j.error.code}: ${j.error.message}`;
    if (ok)
      return `ok${j.key?.status ? `, key is now ${j.key.status}` : ''}${
        j.identity ? `, identity "${j.identity.name}" (${j.identity.decision}${j.identity.matched_on.length ? ` on ${j.identity.matched_on.join(' and ')}` : ''})` : ''
      }${typeof j.hidden === 'boolean' ? `, hidden: ${j.hidden}` : ''}${j.trust_tier ? `, tier: ${j.trust_tier}` : ''}`;
  } catch {}
  return text.slice(0, 200);
}

/** A form's submit handler for the actions on one target. */
type OnSubmit = (target: AdminAction['target']) => (e: FormEvent<HTMLFormElement>) => void;

export function AdminConsole() {
  const [token, setToken] = useState('');
  const [keys, setKeys] = useState<AdminKey[] | null>(null);
  const [keyFilter, setKeyFilter] = useState('pending');
  const [log, setLog] = useState<LogLine[]>([]);
  useEffect(() => {
    setToken(sessionStorage.getItem(TOKEN_KEY) ?? '');
  }, []);
  const saveToken = (t: string) => {
    setToken(t);
    if (t) sessionStorage.setItem(TOKEN_KEY, t);
    else sessionStorage.removeItem(TOKEN_KEY);
  };
  /** Runs one admin action; a key action's answer updates that key's row in the list at once. */
  async function act(action: AdminAction, target: string): Promise<void> {
    const at = new Date().toISOString().slice(11, 19);
    if (!token) return setLog((l) => [{ at, text: 'Enter the admin token first.', ok: false }, ...l]);
    try {
      const res = await fetch(action.path(encodeURIComponent(target)), {
        method: action.method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(action.body ?? {}),
      });
      const text = await res.text();
      const msg = answerMessage(res.ok, text);
      setLog((l) => [{ at, text: `${action.label} ${idPreview(target)} → ${res.status} ${msg.slice(0, 300)}`, ok: res.ok }, ...l]);
      if (res.ok && action.target === 'key') {
        const status = (JSON.parse(text) as { key?: { status?: AdminKey['status'] } }).key?.status;
        if (status) setKeys((ks) => ks?.map((k) => (k.key_id === target ? { ...k, status } : k)) ?? ks);
      }
    } catch (e) {
      setLog((l) => [{ at, text: `${action.label}: network error ${(e as Error).message}`, ok: false }, ...l]);
    }
  }
  async function loadKeys() {
    const at = new Date().toISOString().slice(11, 19);
    if (!token) return setLog((l) => [{ at, text: 'Enter the admin token first.', ok: false }, ...l]);
    const res = await fetch(`/api/admin/keys${keyFilter ? `?status=${keyFilter}` : ''}`, {
      headers: { authorization: `Bearer ${token}` },
      cache: 'no-store',
    });
    const body = (await res.json().catch(() => null)) as { keys?: AdminKey[]; error?: { code: string; message: string } } | null;
    if (!res.ok || !body?.keys) {
      setKeys(null);
      return setLog((l) => [{ at, text: `List keys → ${res.status} ${body?.error ? `${body.error.code}: ${body.error.message}` : ''}`, ok: false }, ...l]);
    }
    setKeys(body.keys);
  }
  async function keyAction(id: string, action: 'approve' | 'approve-new' | 'revoke') {
    await act(action === 'approve-new' ? APPROVE_NEW : ADMIN_ACTIONS.find((a) => a.id === action)!, id);
    await loadKeys();
  }
  const onSubmit: OnSubmit = (target) => (e) => {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const id = String(data.get('id') ?? '').trim();
    const submitter = (e.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    const action = ADMIN_ACTIONS.find((a) => a.id === submitter?.value && a.target === target);
    // A key changed from the form: refresh the list too (it may show that key with its old status).
    if (action && id) void act(action, id).then(() => (action.target === 'key' && keys ? loadKeys() : undefined));
  };
  return (
    <div>
      <TokenBar token={token} saveToken={saveToken} />
      <div className="cards">
        <ActionForm target="key" name="Key" idLabel="Key id (64 hex)" pattern="[0-9a-f]{64}" onSubmit={onSubmit} />
        <ActionForm target="result" name="Result" idLabel="Result id" onSubmit={onSubmit} />
      </div>
      <h2>Keys</h2>
      <div className="toolbar">
        <label className="small">
          Status{' '}
          <select value={keyFilter} onChange={(e) => setKeyFilter(e.target.value)}>
            <option value="pending">pending</option>
            <option value="approved">approved</option>
            <option value="revoked">revoked</option>
            <option value="">all</option>
          </select>
        </label>
        <button type="button" onClick={() => void loadKeys()}>
          List keys
        </button>
      </div>
      <AdminKeyTable keys={keys} keyAction={keyAction} />
      <AdminLog log={log} />
    </div>
  );
}

type LogLine = { at: string; text: string; ok: boolean };

function TokenBar({ token, saveToken }: { token: string; saveToken: (t: string) => void }) {
  return (
    <>
      <div className="filters" style={{ marginBottom: '1rem' }}>
        <label style={{ flex: '1 1 24rem' }}>
          Admin token
          <input type="password" autoComplete="off" value={token} onChange={(e) => saveToken(e.target.value)} placeholder="ADMIN_TOKEN" />
        </label>
        <button type="button" className="secondary" onClick={() => saveToken('')}>
          Forget token
        </button>
      </div>
    </>
  );
}

/** A form with an id field and one submit button per action on that target (ADMIN_ACTIONS). */
function ActionForm({ target, name, idLabel, pattern, onSubmit }: { target: AdminAction['target']; name: string; idLabel: string; pattern?: string; onSubmit: OnSubmit }) {
  return (
    <form className="card" onSubmit={onSubmit(target)} aria-label={`${name} actions`}>
      <h3>{name}s</h3>
      <label className="small">
        {idLabel}
        <input name="id" pattern={pattern} required style={{ width: '100%' }} />
      </label>
      <p className="toolbar">
        {ADMIN_ACTIONS.filter((a) => a.target === target).map((a) => (
          <button key={a.id} type="submit" value={a.id}>
            {a.label}
          </button>
        ))}
      </p>
    </form>
  );
}

function AdminKeyTable({ keys, keyAction }: { keys: AdminKey[] | null; keyAction: (id: string, action: 'approve' | 'approve-new' | 'revoke') => Promise<void> }) {
  return (
    <>
      {keys && (
        <DataTable className="small" testId="admin-keys" columns={['Key id', 'Name', 'Contact', 'Status', 'Identity', 'Registered', '']}>
          {keys.length === 0 && (
            <tr>
              <td colSpan={7} className="muted">
                No keys with this status.
              </td>
            </tr>
          )}
          {keys.map((k) => (
            <tr key={k.key_id}>
              <td className="mono">
                <a href={`/keys/${k.key_id}`}>{idPreview(k.key_id)}</a>
              </td>
              <td>{k.name}</td>
              <td>{k.contact}</td>
              <td data-testid="admin-key-status">{k.status}</td>
              <td data-testid="admin-key-identity">
                {k.identity_match
                  ? `approving joins "${k.identity_match.identity_name}" (same ${k.identity_match.matched_on.join(' and ')})`
                  : k.status === 'pending'
                    ? 'approving makes a new identity'
                    : (k.identity_id ? shortId(k.identity_id) : '—')}
              </td>
              <td>{k.created_at.slice(0, 16).replace('T', ' ')}</td>
              <td>
                {k.status === 'pending' && (
                  <button type="button" onClick={() => void keyAction(k.key_id, 'approve')}>
                    {k.identity_match ? `Approve, join ${k.identity_match.identity_name}` : 'Approve'}
                  </button>
                )}{' '}
                {k.status === 'pending' && k.identity_match && (
                  <button type="button" className="secondary" onClick={() => void keyAction(k.key_id, 'approve-new')}>
                    Approve as a new identity
                  </button>
                )}{' '}
                {k.status !== 'revoked' && (
                  <button type="button" className="secondary" onClick={() => void keyAction(k.key_id, 'revoke')}>
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </>
  );
}

function AdminLog({ log }: { log: LogLine[] }) {
  return (
    <>
      <h2>Log</h2>
      <ul className="small" data-testid="admin-log" style={{ overflowWrap: 'anywhere' }}>
        {log.map((l, i) => (
          <li key={i} style={{ color: l.ok ? 'var(--ok)' : 'var(--bad)' }}>
            {l.at} {l.text}
          </li>
        ))}
      </ul>
    </>
  );
}
