// Asks the test harness (Node side) about the real server.
import { executeServerCommand } from '@web/test-runner-commands';

/** Full JIDs the server currently holds for an account. */
export const serverSessions = (jid: string) => executeServerCommand<string[], { jid: string }>('cc-sessions', { jid });

/** Stanzas the server sent to this session (full JID) that the client has not acknowledged (XEP-0198). */
export const serverUnacked = (jid: string) => executeServerCommand<number | null, { jid: string }>('cc-sm-unacked', { jid });
