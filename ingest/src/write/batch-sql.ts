/**
 * SQL besides the batch statement (batch-statement.ts): the device read. The incident rules' read is the
 * incident step's (incidents/incident-step.ts), their write @streetwise/incidents' writeRuleChanges.
 */
export const SELECT_DEVICES = `select id, blocked, district from devices where id = any($1::text[])`;

