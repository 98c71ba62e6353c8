import { createContext, useContext } from 'react';
import { ApiClient } from '../api/api-client.ts';

/** The API client the components use (a test or embedder may provide another). */
const ApiContext = createContext<ApiClient>(new ApiClient());

/** The API client of the nearest provider. */
export function useApi(): ApiClient {
  return useContext(ApiContext);
}
