import type { ToolCatalog } from '@shared/tools';
import { toPatchbayError } from '../errors';
import type { ToolSession } from './tool-session';

/** Pages followed per list at most: a server that always returns a cursor cannot loop us forever. */
const MAX_PAGES = 50;

/** Every item of one paged list (`tools/list` …), following `nextCursor`. */
export async function listAll<T>(session: ToolSession, method: string, key: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = (await session.request(method, cursor === undefined ? {} : { cursor })) as
      Record<string, unknown> | undefined;
    const list = result?.[key];
    if (Array.isArray(list)) items.push(...(list as T[]));
    const next = result?.['nextCursor'];
    if (typeof next !== 'string' || next === '' || next === cursor) break;
    cursor = next;
  }
  return items;
}

/** What the server offers, by the capabilities it declared; a failing list is reported, not fatal. */
export async function listCatalog(session: ToolSession): Promise<ToolCatalog> {
  const catalog: ToolCatalog = { tools: [], resources: [], resourceTemplates: [], prompts: [], errors: [] };
  const info = session.initResult['serverInfo'];
  if (typeof info === 'object' && info !== null) catalog.serverInfo = info;
  const lists: [keyof Omit<ToolCatalog, 'errors' | 'serverInfo'>, string, string, string][] = [
    ['tools', 'tools', 'tools/list', 'tools'],
    ['resources', 'resources', 'resources/list', 'resources'],
    ['resourceTemplates', 'resources', 'resources/templates/list', 'resourceTemplates'],
    ['prompts', 'prompts', 'prompts/list', 'prompts'],
  ];
  await Promise.all(
    lists.map(async ([field, capability, method, key]) => {
      if (!session.offers(capability)) return;
      try {
        (catalog[field] as unknown[]) = await listAll(session, method, key);
      } catch (err) {
        catalog.errors.push({ list: method, message: toPatchbayError(err).message });
      }
    }),
  );
  return catalog;
}
