// Asks the test harness (Node side) about the real server.
import { executeServerCommand } from '@web/test-runner-commands';

/** Full JIDs the server currently holds for an account. */
export const serverSessions = (jid: string) => executeServerCommand<string[], { jid: string }>('cc-sessions', { jid });
