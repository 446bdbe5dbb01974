// The account, its users and teams, and file download. The contract lists these endpoints but not their bodies
// (gorgias-rest-api.md, 1.1), so each answers the minimum consistent with the general rules [I].
import { badRequest, notFound, reply, type ApiReply } from './api-reply.ts';
import { listEnvelope, paginate, readListParams, type Ordering } from './cursor-pagination.ts';
import { QueryReader } from './query-reader.ts';
import type { Route, RouteContext } from './route-table.ts';
import type { TeamRecord, UserRecord } from './twin-records.ts';
import { formatWireDatetime } from './wire-datetime.ts';
import { viewUser } from './wire-views.ts';

export type AccountInfo = { domain: string; createdAt: number };

export function accountRoutes(account: AccountInfo): readonly Route[] {
  return [
    { method: 'GET', pattern: '/api/account', scope: 'account:read', handle: () => reply(200, viewAccount(account)) },
    { method: 'GET', pattern: '/api/users', scope: 'users:read', handle: listUsers },
    { method: 'GET', pattern: '/api/users/:userId', scope: 'users:read', handle: getUser },
    { method: 'GET', pattern: '/api/teams', scope: 'users:read', handle: listTeams },
    { method: 'GET', pattern: '/api/teams/:teamId', scope: 'users:read', handle: getTeam },
    // `/api/{file_type}/download/...` (1.1 [C] path only): bytes seeded with `seedFile`.
    { method: 'GET', pattern: '/api/attachments/download/*', scope: 'tickets:read', handle: (context) => download(context, 'attachments') },
    { method: 'GET', pattern: '/api/files/download/*', scope: 'tickets:read', handle: (context) => download(context, 'files') },
  ];
}

function viewAccount(account: AccountInfo) {
  return {
    domain: account.domain,
    status: { status: 'active' },
    created_datetime: formatWireDatetime(account.createdAt),
    settings: [],
  };
}

function getUser(context: RouteContext): ApiReply {
  const id = context.params.userId;
  const user = id === undefined ? undefined : context.state.users.get(id);
  return user ? reply(200, viewUser(user)) : notFound();
}

function listUsers(context: RouteContext): ApiReply {
  const reader = new QueryReader(context.query, ['cursor', 'limit', 'order_by']);
  const params = readListParams(reader, ['created_datetime:asc', 'created_datetime:desc'], 'created_datetime:asc');
  const problems = reader.errors();
  if (problems) return badRequest('Invalid query parameters.', problems);
  const ordering: Ordering<UserRecord> = {
    keys: [{ value: (user) => user.createdAt, direction: params.orderBy.endsWith(':desc') ? 'desc' : 'asc' }],
    idOf: (user) => user.id,
  };
  const page = paginate({ items: [...context.state.users.values()], ordering, limit: params.limit, cursor: params.cursor, signature: `users|${params.orderBy}` });
  if (!page.ok) return badRequest('Invalid query parameters.', page.error);
  return reply(200, listEnvelope(context.uri, page.value.page.map(viewUser), page.value.meta));
}

function viewTeam(team: TeamRecord) {
  return { id: team.id, name: team.name, decoration: null, uri: `/api/teams/${team.id}/`, created_datetime: formatWireDatetime(team.createdAt) };
}

function getTeam(context: RouteContext): ApiReply {
  const id = context.params.teamId;
  const team = id === undefined ? undefined : context.state.teams.get(id);
  return team ? reply(200, viewTeam(team)) : notFound();
}

function listTeams(context: RouteContext): ApiReply {
  const reader = new QueryReader(context.query, ['cursor', 'limit']);
  const params = readListParams(reader, [], '');
  const problems = reader.errors();
  if (problems) return badRequest('Invalid query parameters.', problems);
  const ordering: Ordering<TeamRecord> = { keys: [{ value: (team) => team.id, direction: 'asc' }], idOf: (team) => team.id };
  const page = paginate({ items: [...context.state.teams.values()], ordering, limit: params.limit, cursor: params.cursor, signature: 'teams' });
  if (!page.ok) return badRequest('Invalid query parameters.', page.error);
  return reply(200, listEnvelope(context.uri, page.value.page.map(viewTeam), page.value.meta));
}

/** Binary answer: the route returns a `Uint8Array` body and the server writes it with the stored content type. */
function download(context: RouteContext, fileType: string): ApiReply {
  const file = context.state.files.get(`${fileType}/${context.rest}`);
  if (!file) return notFound();
  return { status: 200, body: file.content, headers: { 'content-type': file.contentType, 'content-disposition': `attachment; filename="${file.name}"` } };
}
