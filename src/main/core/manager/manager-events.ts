import type { ServerConfigView } from '@shared/server-config';
import type { ServerStatus } from '@shared/status';
import type { SessionInfo } from './session-info';

/** What the manager tells its shells: the list changed, a status moved, a client said hello. */
export interface ManagerEvents {
  'servers-changed': [ServerConfigView[]];
  'server-status': [ServerStatus];
  'client-seen': [{ serverId: string; session: SessionInfo }];
}
