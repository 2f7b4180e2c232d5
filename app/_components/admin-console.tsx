'use client';
/** Token-protected maintainer actions; see app/admin/page.tsx. */
import { useEffect, useState, type FormEvent } from 'react';

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
];

export function AdminConsole() {
  const [token, setToken] = useState('');
  const [log, setLog] = useState<{ at: string; text: string; ok: boolean }[]>([]);
  useEffect(() => {
    setToken(sessionStorage.getItem(TOKEN_KEY) ?? '');
  }, []);
  const saveToken = (t: string) => {
    setToken(t);
    if (t) sessionStorage.setItem(TOKEN_KEY, t);
    else sessionStorage.removeItem(TOKEN_KEY);
  };
  async function act(action: AdminAction, target: string) {
    const at = new Date().toISOString().slice(11, 19);
    if (!token) return setLog((l) => [{ at, text: 'Enter the admin token first.', ok: false }, ...l]);
    try {
      const res = await fetch(action.path(encodeURIComponent(target)), {
        method: action.method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(action.body ?? {}),
      });
      const text = await res.text();
      let msg = text;
      try {
        const j = JSON.parse(text) as { error?: { code: string; message: string } };
        if (j.error) msg = `${j.error.code}: ${j.error.message}`;
      } catch {}
      setLog((l) => [{ at, text: `${action.label} ${target.slice(0, 16)}… → ${res.status} ${msg.slice(0, 300)}`, ok: res.ok }, ...l]);
    } catch (e) {
      setLog((l) => [{ at, text: `${action.label}: network error ${(e as Error).message}`, ok: false }, ...l]);
    }
  }
  const onSubmit = (target: 'key' | 'result') => (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const id = String(data.get('id') ?? '').trim();
    const submitter = (e.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    const action = ADMIN_ACTIONS.find((a) => a.id === submitter?.value && a.target === target);
    if (action && id) void act(action, id);
  };
  return (
    <div>
      <div className="filters" style={{ marginBottom: '1rem' }}>
        <label style={{ flex: '1 1 24rem' }}>
          Admin token
          <input type="password" autoComplete="off" value={token} onChange={(e) => saveToken(e.target.value)} placeholder="ADMIN_TOKEN" />
        </label>
        <button type="button" className="secondary" onClick={() => saveToken('')}>
          Forget token
        </button>
      </div>
      <div className="cards">
        <form className="card" onSubmit={onSubmit('key')} aria-label="Key actions">
          <h3>Keys</h3>
          <label className="small">
            Key id (64 hex)
            <input name="id" pattern="[0-9a-f]{64}" required style={{ width: '100%' }} />
          </label>
          <p className="toolbar">
            {ADMIN_ACTIONS.filter((a) => a.target === 'key').map((a) => (
              <button key={a.id} type="submit" value={a.id}>
                {a.label}
              </button>
            ))}
          </p>
        </form>
        <form className="card" onSubmit={onSubmit('result')} aria-label="Result actions">
          <h3>Results</h3>
          <label className="small">
            Result id
            <input name="id" required style={{ width: '100%' }} />
          </label>
          <p className="toolbar">
            {ADMIN_ACTIONS.filter((a) => a.target === 'result').map((a) => (
              <button key={a.id} type="submit" value={a.id}>
                {a.label}
              </button>
            ))}
          </p>
        </form>
      </div>
      <h2>Log</h2>
      <ul className="small" data-testid="admin-log">
        {log.map((l, i) => (
          <li key={i} style={{ color: l.ok ? 'var(--ok)' : 'var(--bad)' }}>
            {l.at} {l.text}
          </li>
        ))}
      </ul>
    </div>
  );
}
