import { invalidRequest } from '../http/api-error.ts';

/** The cursor query every list endpoint of the API takes (`/v1/models`, `/v1/messages/batches`). */
export interface PageQuery {
  /** Page size, 1..1000; default 20. */
  limit: number;
  /** Return the items right after this id, in list order (paging forward). */
  afterId?: string;
  /** Return the items right before this id, in list order (paging backward). */
  beforeId?: string;
}

/** A page in the API's shape (the SDK's `Page<T>`). */
export interface Page<T> {
  /** The items of this page, in list order. */
  data: T[];
  /** Whether more items exist beyond this page in the paging direction. */
  has_more: boolean;
  /** Id of the first item of the page, or null when the page is empty. */
  first_id: string | null;
  /** Id of the last item of the page, or null when the page is empty. */
  last_id: string | null;
}

/** Reads and validates `limit`, `after_id` and `before_id` from a request URL. */
export function parsePageQuery(url: URL): PageQuery {
  const rawLimit = url.searchParams.get('limit');
  let limit = 20;
  if (rawLimit !== null) {
    limit = Number(rawLimit);
    if (!/^\d+$/.test(rawLimit) || limit < 1 || limit > 1000) {
      throw invalidRequest(
        `limit: Input should be an integer between 1 and 1000, got "${rawLimit}"`,
      );
    }
  }
  const afterId = url.searchParams.get('after_id') || undefined;
  const beforeId = url.searchParams.get('before_id') || undefined;
  if (afterId && beforeId) throw invalidRequest('after_id and before_id cannot be used together');
  return { limit, ...(afterId ? { afterId } : {}), ...(beforeId ? { beforeId } : {}) };
}

/** Cuts one page out of a list that is already in list order. Unknown cursors are a 400. */
export function paginate<T>(
  items: readonly T[],
  idOf: (item: T) => string,
  query: PageQuery,
): Page<T> {
  const indexOf = (id: string, field: string): number => {
    const index = items.findIndex((item) => idOf(item) === id);
    if (index === -1) throw invalidRequest(`${field}: no object with id "${id}"`);
    return index;
  };
  let data: T[];
  let hasMore: boolean;
  if (query.beforeId !== undefined) {
    const end = indexOf(query.beforeId, 'before_id');
    const start = Math.max(0, end - query.limit);
    data = items.slice(start, end);
    hasMore = start > 0;
  } else {
    const start = query.afterId !== undefined ? indexOf(query.afterId, 'after_id') + 1 : 0;
    data = items.slice(start, start + query.limit);
    hasMore = start + query.limit < items.length;
  }
  return {
    data,
    has_more: hasMore,
    first_id: data.length > 0 ? idOf(data[0]!) : null,
    last_id: data.length > 0 ? idOf(data[data.length - 1]!) : null,
  };
}
