import { AdminConsole } from '../_components/admin-console';

export const metadata = { title: 'Admin — HeadPrep', robots: { index: false } };

/**
 * Maintainer actions through the admin API (Authorization: Bearer ADMIN_TOKEN). The page itself is
 * static: the token is typed by the maintainer and kept only in this browser tab's sessionStorage.
 */
export default function AdminPage() {
  return (
    <>
      <h1>Admin</h1>
      <p className="explain">
        Approve or revoke submitter keys and hide or unhide results. Every action is a call to the admin API with your
        token; the server compares it in constant time and refuses all admin calls when no <code>ADMIN_TOKEN</code> is
        configured. The token stays in this tab (sessionStorage) and is never stored by the site.
      </p>
      <AdminConsole />
    </>
  );
}
