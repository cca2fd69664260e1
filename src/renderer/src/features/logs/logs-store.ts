import { api } from '../../api/api';
import { createLogsFollower } from './logs-follower';

/** The one Logs tab of this window follows one server at a time. */
export const logs = createLogsFollower(api);
export const logsStore = logs.store;
