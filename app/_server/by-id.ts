import 'server-only';
import { RESULT_ID_RE } from '../../contract';
import { ApiFailure, handle } from './errors';

/**
 * The GET handler of an /api/<things>/<id> route of a stored result or reproduction: a malformed id
 * never reaches the database, and it or a missing row is 404 `no <what> <id>`; `answer` turns the
 * row into the response.
 */
export function getById<T>(what: string, load: (id: string) => Promise<T | null>, answer: (row: T, id: string, req: Request) => Response | Promise<Response>) {
  return (req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> =>
    handle(async () => {
      const { id } = await ctx.params;
      const row = RESULT_ID_RE.test(id) ? await load(id) : null;
      if (!row) throw new ApiFailure(404, 'not_found', `no ${what} ${id}`);
      return answer(row, id, req);
    });
}
